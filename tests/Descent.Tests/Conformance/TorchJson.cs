using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Descent.Tests.Conformance;

/// <summary>Reads the torch fixture files (schema: shared/reference/torch-fixtures.md).</summary>
internal static class TorchJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string FixtureFolder(string kind) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", kind);

    /// <summary>Every case object of every *.json file in the folder, keyed "file:name".</summary>
    public static IEnumerable<(string Key, JsonObject Case)> Cases(string kind)
    {
        var folder = FixtureFolder(kind);
        var files = Directory.GetFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No fixture files in {folder}.");
        }

        foreach (var file in files)
        {
            var array = JsonNode.Parse(File.ReadAllText(file))?.AsArray()
                ?? throw new InvalidDataException($"{file}: not a JSON array.");
            foreach (var node in array)
            {
                var obj = node!.AsObject();
                yield return ($"{Path.GetFileName(file)}:{obj["name"]}", obj);
            }
        }
    }

    public static double Number(JsonNode? node, string what)
    {
        if (node is null)
        {
            throw new InvalidDataException($"{what} is missing.");
        }

        var value = node.GetValue<JsonElement>();
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => double.Parse(value.GetString()!, CultureInfo.InvariantCulture),
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => throw new InvalidDataException($"{what} is not a number: {node.ToJsonString()}"),
        };
    }

    public static double[] Vector(JsonNode? node, string what) =>
        node?.AsArray().Select((x, i) => Number(x, $"{what}[{i}]")).ToArray()
        ?? throw new InvalidDataException($"{what} is missing.");

    public static double[][] Matrix(JsonNode? node, string what) =>
        node?.AsArray().Select((x, i) => Vector(x, $"{what}[{i}]")).ToArray()
        ?? throw new InvalidDataException($"{what} is missing.");

    /// <summary>|actual − expected| ≤ 1e-12 + 1e-9·|expected|, with non-finite values required to match exactly.</summary>
    public static bool Close(double actual, double expected)
    {
        if (!double.IsFinite(expected))
        {
            return actual.Equals(expected) || (double.IsNaN(expected) && double.IsNaN(actual));
        }

        return Math.Abs(actual - expected) <= 1e-12 + 1e-9 * Math.Abs(expected);
    }

    /// <summary>Relative deviation used for the report of the largest deviation.</summary>
    public static double Deviation(double actual, double expected) =>
        double.IsFinite(expected) && double.IsFinite(actual)
            ? Math.Abs(actual - expected) / Math.Max(Math.Max(Math.Abs(actual), Math.Abs(expected)), 1e-6)
            : 0;
}

/// <summary>A case the loader cannot interpret: names the case and what is wrong.</summary>
internal sealed class FixtureException(string caseName, string message)
    : Exception($"Fixture case '{caseName}': {message}");
