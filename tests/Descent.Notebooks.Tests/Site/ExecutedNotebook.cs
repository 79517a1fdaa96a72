using System.Text.Json.Nodes;

namespace Descent.Notebooks.Tests.Site;

/// <summary>Builds small executed notebooks (nbformat 4 JSON with outputs) for the site tests.</summary>
internal sealed class ExecutedNotebook
{
    private readonly JsonArray _cells = [];
    private int _count;

    public ExecutedNotebook Markdown(string source)
    {
        _cells.Add(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source });
        return this;
    }

    public ExecutedNotebook Code(string source, params JsonObject[] outputs)
    {
        _count++;
        foreach (var output in outputs.Where(o => (string?)o["output_type"] == "execute_result"))
        {
            output["execution_count"] = _count;
        }

        _cells.Add(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = _count,
            ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(outputs.Cast<JsonNode>().ToArray()),
            ["source"] = source,
        });
        return this;
    }

    public static JsonObject Stream(string name, string text) =>
        new() { ["output_type"] = "stream", ["name"] = name, ["text"] = text };

    public static JsonObject Result(params (string Mime, string Value)[] bundle) => Bundle("execute_result", bundle);

    public static JsonObject Display(params (string Mime, string Value)[] bundle) => Bundle("display_data", bundle);

    public static JsonObject Error(string ename, string evalue, params string[] traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = ename,
        ["evalue"] = evalue,
        ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)t).ToArray()),
    };

    public string ToJson() => new JsonObject
    {
        ["cells"] = _cells.DeepClone(),
        ["metadata"] = new JsonObject(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString();

    private static JsonObject Bundle(string type, (string Mime, string Value)[] bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle)
        {
            data[mime] = value;
        }

        return new JsonObject { ["output_type"] = type, ["data"] = data, ["metadata"] = new JsonObject() };
    }
}
