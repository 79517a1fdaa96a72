using System.Text.Json.Nodes;
using Descent.Notebooks.Execution;
using Descent.Notebooks.Notebooks;

namespace Descent.Notebooks.Running;

/// <summary>Converts engine outputs to nbformat 4 output objects.</summary>
public static class JupyterOutputs
{
    /// <summary>The outputs as a Jupyter "outputs" array; adjacent writes to one stream are merged, as Jupyter does.</summary>
    public static JsonArray ToJson(IReadOnlyList<CellOutput> outputs, int executionCount)
    {
        var array = new JsonArray();
        string? lastStream = null;
        var streamText = new System.Text.StringBuilder();

        void FlushStream()
        {
            if (lastStream is not null)
            {
                array.Add(new JsonObject
                {
                    ["name"] = lastStream,
                    ["output_type"] = "stream",
                    ["text"] = NotebookDocument.SplitLines(streamText.ToString()),
                });
                lastStream = null;
                streamText.Clear();
            }
        }

        foreach (var output in outputs)
        {
            if (output is StreamOutput s)
            {
                if (lastStream != s.Name)
                {
                    FlushStream();
                    lastStream = s.Name;
                }

                streamText.Append(s.Text);
                continue;
            }

            FlushStream();
            array.Add(output switch
            {
                DisplayOutput d => new JsonObject
                {
                    ["data"] = Bundle(d.Data),
                    ["metadata"] = new JsonObject(),
                    ["output_type"] = "display_data",
                },
                ResultOutput r => new JsonObject
                {
                    ["data"] = Bundle(r.Data),
                    ["execution_count"] = executionCount,
                    ["metadata"] = new JsonObject(),
                    ["output_type"] = "execute_result",
                },
                ErrorOutput e => new JsonObject
                {
                    ["ename"] = e.Name,
                    ["evalue"] = e.Value,
                    ["output_type"] = "error",
                    ["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
                },
                _ => throw new ArgumentException($"Unknown output {output.GetType().Name}.", nameof(outputs)),
            });
        }

        FlushStream();
        return array;
    }

    private static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, content) in data)
        {
            bundle[mime] = NotebookDocument.SplitLines(content);
        }

        return bundle;
    }
}
