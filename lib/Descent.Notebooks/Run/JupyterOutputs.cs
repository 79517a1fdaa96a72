using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Run;

/// <summary>Converts engine outputs to nbformat 4 output objects, through <see cref="JupyterOutput"/> as the kernel does.</summary>
public static class JupyterOutputs
{
    /// <summary>The outputs as a Jupyter "outputs" array; adjacent writes to one stream are merged, as Jupyter does.</summary>
    public static JsonArray ToJson(IReadOnlyList<CellOutput> outputs, int executionCount)
    {
        var array = new JsonArray();
        StreamOutput? pending = null;
        foreach (var output in outputs)
        {
            if (output is StreamOutput s && (pending is null || pending.Name == s.Name))
            {
                pending = pending is null ? s : pending with { Text = pending.Text + s.Text };
                continue;
            }

            if (pending is not null)
            {
                array.Add(NbformatOutput(pending, executionCount));
            }

            pending = output as StreamOutput;
            if (pending is null)
            {
                array.Add(NbformatOutput(output, executionCount));
            }
        }

        if (pending is not null)
        {
            array.Add(NbformatOutput(pending, executionCount));
        }

        return array;
    }

    // nbformat's output: the message content with its type as output_type, multi-line strings as lists of lines, keys sorted.
    private static JsonObject NbformatOutput(CellOutput output, int executionCount)
    {
        var (type, content) = JupyterOutput.Of(output, executionCount);
        content["output_type"] = type;
        if (content["text"] is JsonValue text)
        {
            content["text"] = NotebookDocument.SplitLines(text.GetValue<string>());
        }

        if (content["data"] is JsonObject data)
        {
            foreach (var mime in data.Select(p => p.Key).ToArray())
            {
                data[mime] = NotebookDocument.SplitLines(data[mime]!.GetValue<string>());
            }
        }

        var sorted = new JsonObject();
        foreach (var key in content.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray())
        {
            var value = content[key];
            content.Remove(key);
            sorted[key] = value;
        }

        return sorted;
    }
}
