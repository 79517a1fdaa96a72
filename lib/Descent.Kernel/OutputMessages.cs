using System.Text.Json.Nodes;
using Descent.Notebooks.Execution;

namespace Descent.Kernel;

/// <summary>
/// The one place the kernel turns a cell's outputs into Jupyter IOPub messages (<c>stream</c>, <c>display_data</c>,
/// <c>execute_result</c>, <c>error</c>) and an error into the fields of an <c>execute_reply</c>.
/// </summary>
internal static class OutputMessages
{
    /// <summary>The IOPub message type and content of <paramref name="output"/> from the cell numbered <paramref name="executionCount"/>.</summary>
    public static (string Type, JsonObject Content) For(CellOutput output, int executionCount) => output switch
    {
        StreamOutput s => ("stream", new JsonObject { ["name"] = s.Name, ["text"] = s.Text }),
        DisplayOutput d => ("display_data", new JsonObject { ["data"] = Bundle(d.Data), ["metadata"] = new JsonObject(), ["transient"] = new JsonObject() }),
        ResultOutput r => ("execute_result", new JsonObject { ["execution_count"] = executionCount, ["data"] = Bundle(r.Data), ["metadata"] = new JsonObject() }),
        ErrorOutput e => ("error", Error(e)),
        _ => throw new ArgumentException($"unknown output kind '{output.GetType().Name}'.", nameof(output)),
    };

    /// <summary><c>ename</c>, <c>evalue</c> (with the cell line when known) and <c>traceback</c> of an error.</summary>
    public static JsonObject Error(ErrorOutput error)
    {
        var where = error.Line is { } line ? $" (cell line {line})" : string.Empty;
        var traceback = new JsonArray((JsonNode?)JsonValue.Create($"{error.Name}: {error.Value}{where}"));
        foreach (var lineText in error.Traceback.Where(t => t != error.Value))
        {
            traceback.Add(lineText);
        }

        return new JsonObject { ["ename"] = error.Name, ["evalue"] = error.Value + where, ["traceback"] = traceback };
    }

    /// <summary>The <c>execute_reply</c> of a cell that failed with <paramref name="error"/>.</summary>
    public static JsonObject ErrorReply(ErrorOutput error, int executionCount)
    {
        var reply = Error(error);
        reply["status"] = "error";
        reply["execution_count"] = executionCount;
        return reply;
    }

    private static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, content) in data)
        {
            bundle[mime] = content;
        }

        return bundle;
    }
}
