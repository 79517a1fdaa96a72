using System.Text.Json.Nodes;

namespace Descent.Notebooks.Engine;

/// <summary>
/// The one mapping of an engine output to Jupyter's vocabulary: its type (<c>stream</c>, <c>display_data</c>,
/// <c>execute_result</c>, <c>error</c>) and its content. The kernel publishes the content as an IOPub message of that
/// type; <c>run</c> writes it into the notebook as an output with that <c>output_type</c>. So the same cell reads the
/// same in a Jupyter front end, in an executed notebook and on the site.
/// </summary>
public static class JupyterOutput
{
    /// <summary>The output's Jupyter type and content; an error names the cell line it happened on, when known.</summary>
    /// <param name="output">The engine's output.</param>
    /// <param name="executionCount">The cell's execution count (an <c>execute_result</c> carries it).</param>
    public static (string Type, JsonObject Content) Of(CellOutput output, int executionCount)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output switch
        {
            StreamOutput s => ("stream", new JsonObject { ["name"] = s.Name, ["text"] = s.Text }),
            DisplayOutput d => ("display_data", new JsonObject { ["data"] = Bundle(d.Data), ["metadata"] = new JsonObject() }),
            ResultOutput r => ("execute_result", new JsonObject { ["data"] = Bundle(r.Data), ["execution_count"] = executionCount, ["metadata"] = new JsonObject() }),
            ErrorOutput e => ("error", Error(e)),
            _ => throw new ArgumentException($"Unknown output {output.GetType().Name}.", nameof(output)),
        };
    }

    private static JsonObject Error(ErrorOutput error)
    {
        var where = error.Line is { } line ? $" (cell line {line})" : string.Empty;
        var traceback = new JsonArray((JsonNode?)JsonValue.Create($"{error.Name}: {error.Value}{where}"));
        foreach (var text in error.Traceback.Where(t => t != error.Value))
        {
            traceback.Add(text);
        }

        return new JsonObject { ["ename"] = error.Name, ["evalue"] = error.Value + where, ["traceback"] = traceback };
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
