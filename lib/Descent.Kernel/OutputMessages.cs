using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;

namespace Descent.Kernel;

/// <summary>
/// The kernel's side of <see cref="JupyterOutput"/> (the engine's one mapping of outputs to Jupyter's vocabulary, which
/// <c>run</c> writes into notebooks too): what a message adds to it, and the <c>execute_reply</c> of a failed cell.
/// </summary>
internal static class OutputMessages
{
    /// <summary>The IOPub message type and content of <paramref name="output"/> from the cell numbered <paramref name="executionCount"/>.</summary>
    public static (string Type, JsonObject Content) For(CellOutput output, int executionCount)
    {
        var (type, content) = JupyterOutput.Of(output, executionCount);
        if (type == "display_data")
        {
            // A message-only field (display ids); notebooks do not store it.
            content["transient"] = new JsonObject();
        }

        return (type, content);
    }

    /// <summary><c>ename</c>, <c>evalue</c> (with the cell line when known) and <c>traceback</c> of an error.</summary>
    public static JsonObject Error(ErrorOutput error) => JupyterOutput.Of(error, 0).Content;

    /// <summary>The <c>execute_reply</c> of a cell that failed with <paramref name="error"/>.</summary>
    public static JsonObject ErrorReply(ErrorOutput error, int executionCount)
    {
        var reply = Error(error);
        reply["status"] = "error";
        reply["execution_count"] = executionCount;
        return reply;
    }
}
