using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Descent.Notebooks.Documents;

/// <summary>A Jupyter notebook (nbformat 4) read from disk, kept as JSON so unknown metadata survives a round trip.</summary>
public sealed class NotebookDocument
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private NotebookDocument(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        Root = root;
        Cells = cells;
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The whole document.</summary>
    public JsonObject Root { get; }

    /// <summary>Every cell, in order (markdown and raw cells too, as the editor numbers them).</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>Reads and checks a notebook; <see cref="NotebookFormatException"/> names the file and what is wrong.</summary>
    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new NotebookFormatException(path, "file not found.");
        }

        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Parses notebook JSON; <paramref name="path"/> is used in error messages.</summary>
    public static NotebookDocument Parse(string path, string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message}");
        }

        if (node is not JsonObject root)
        {
            throw new NotebookFormatException(path, "not a notebook: the top level is not a JSON object.");
        }

        if (root["cells"] is not JsonArray cellArray)
        {
            throw new NotebookFormatException(path, "not a notebook: it has no \"cells\" array.");
        }

        if (root["nbformat"] is JsonValue format && format.TryGetValue<int>(out var major) && major < 4)
        {
            throw new NotebookFormatException(path, $"nbformat {major} is not supported; save it as nbformat 4.");
        }

        var cells = new List<NotebookCell>();
        for (var i = 0; i < cellArray.Count; i++)
        {
            if (cellArray[i] is not JsonObject cell || cell["cell_type"]?.GetValue<string>() is not { } type)
            {
                throw new NotebookFormatException(path, $"cell {i + 1} has no \"cell_type\".");
            }

            cells.Add(new NotebookCell(i + 1, type, JoinSource(cell["source"]), cell));
        }

        return new NotebookDocument(path, root, cells);
    }

    /// <summary>The notebook's source text as one string (Jupyter stores it as a string or a list of lines).</summary>
    public static string JoinSource(JsonNode? source) => source switch
    {
        null => string.Empty,
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? string.Empty)),
        JsonValue v => v.GetValue<string>(),
        _ => string.Empty,
    };

    /// <summary>Splits text into Jupyter's list of lines, each but the last ending in "\n".</summary>
    public static JsonArray SplitLines(string text)
    {
        var array = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                array.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            array.Add(text[start..]);
        }

        return array;
    }

    /// <summary>The document as Jupyter writes it (1-space indent, non-ASCII kept, trailing newline).</summary>
    public static string Serialize(JsonObject root) => root.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically (<see cref="AtomicFile"/>).</summary>
    public static void WriteAtomically(string path, string content) => AtomicFile.Write(path, content);
}

/// <summary>One cell of a notebook.</summary>
/// <param name="Number">1-based position among all cells, as the editor shows it.</param>
/// <param name="CellType">"code", "markdown" or "raw".</param>
/// <param name="Source">The cell's text.</param>
/// <param name="Json">The cell's JSON object.</param>
public sealed record NotebookCell(int Number, string CellType, string Source, JsonObject Json)
{
    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";
}

/// <summary>A file that is not a usable notebook; the message names the file.</summary>
public sealed class NotebookFormatException(string path, string problem) : Exception($"{path}: {problem}")
{
    /// <summary>The file.</summary>
    public string NotebookPath { get; } = path;
}
