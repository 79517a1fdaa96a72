using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Workers;

/// <summary>How a cell ended in a worker, as the parent reads it.</summary>
public enum WorkerCellStatus
{
    /// <summary>The cell ran to completion.</summary>
    Completed,

    /// <summary>The cell did not compile or threw.</summary>
    Failed,

    /// <summary>The cell ran past its limit and was stopped.</summary>
    TimedOut,

    /// <summary>The cell ran past its limit and ignored the interrupt; the worker exited after reporting it.</summary>
    Stuck,

    /// <summary>The cell allocated beyond the memory limit; the worker exited after reporting it.</summary>
    MemoryLimit,

    /// <summary>The cell printed beyond the output limit; the worker exited after reporting it.</summary>
    OutputLimit,
}

/// <summary>A finished cell as the worker reports it.</summary>
/// <param name="Cell">The cell's 1-based number in the notebook.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Name">The error's name, when it did not complete.</param>
/// <param name="Message">The error's message, when it did not complete.</param>
public sealed record WorkerCellReport(int Cell, WorkerCellStatus Status, string? Name, string? Message)
{
    /// <summary>True when the worker cannot run further cells after this one.</summary>
    public bool EndsWorker => Status is WorkerCellStatus.Stuck or WorkerCellStatus.MemoryLimit or WorkerCellStatus.OutputLimit;
}

/// <summary>
/// The worker's wire format: the parent writes a random token line, then one JSON object per line — a cell
/// (<c>{"cell":n,"source":"…"}</c>) just before it is to run, <c>{"session":"folder"}</c> (<c>run</c> only: drop the
/// session and start a fresh one for the next notebook, whose folder becomes the working directory), or
/// <c>{"end":true}</c>. The worker answers on standard output with lines that start with the token:
/// <c>{"ready":true}</c> (after each new session), one report per cell, <c>{"done":true}</c>; when
/// asked for outputs, each kept output of the running cell as it happens (<c>{"cell":n,"output":{…}}</c>); and, should a
/// cell end the process through <c>Environment.Exit</c>, <c>{"cell":n,"exit":code}</c> as it goes.
/// Lines without the token (a student's raw writes to the process's standard output) are ignored by the parent.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>Longest protocol line the parent reads; a longer line is dropped (it cannot be the worker's).</summary>
    public const int MaxLineLength = 256 * 1024;

    // Outputs are mostly HTML: escaping its <, > and quotes as \u003C etc. would triple a chart's size on the wire.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The line that sends a cell.</summary>
    public static string CellLine(int cell, string source) => new JsonObject { ["cell"] = cell, ["source"] = source }.ToJsonString();

    /// <summary>
    /// The line that tells a worker whose notebook ran cleanly to drop its session and start a fresh one in
    /// <paramref name="folder"/> for the next notebook (see <see cref="WorkerProcess.NewSessionAsync"/>).
    /// </summary>
    public static string SessionLine(string folder) => new JsonObject { ["session"] = folder }.ToJsonString();

    /// <summary>The line that tells the worker no cell follows.</summary>
    public static string EndLine() => "{\"end\":true}";

    /// <summary>The report line of a finished cell.</summary>
    public static string ReportLine(WorkerCellReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var json = new JsonObject { ["cell"] = report.Cell, ["status"] = report.Status.ToString() };
        if (report.Name is not null)
        {
            json["name"] = report.Name;
        }

        if (report.Message is not null)
        {
            json["message"] = Truncate(report.Message, 16_000);
        }

        return json.ToJsonString();
    }

    /// <summary>Reads a report line (already stripped of its token); null when it is not one.</summary>
    public static WorkerCellReport? ParseReport(JsonNode json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json["cell"] is not JsonValue cell || !cell.TryGetValue<int>(out var number)
            || json["status"] is not JsonValue status || !Enum.TryParse<WorkerCellStatus>(status.GetValue<string>(), out var parsed))
        {
            return null;
        }

        return new WorkerCellReport(number, parsed, json["name"]?.GetValue<string>(), json["message"]?.GetValue<string>());
    }

    /// <summary>The line that carries one output of cell <paramref name="cell"/>.</summary>
    public static string OutputLine(int cell, CellOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        JsonObject json = output switch
        {
            StreamOutput s => new() { ["stream"] = s.Name, ["text"] = s.Text },
            DisplayOutput d => new() { ["display"] = Bundle(d.Data) },
            ResultOutput r => new() { ["result"] = Bundle(r.Data) },
            ErrorOutput e => new()
            {
                ["error"] = e.Name,
                ["value"] = e.Value,
                ["traceback"] = new JsonArray([.. e.Traceback.Select(t => (JsonNode?)t)]),
                ["line"] = e.Line,
            },
            _ => throw new ArgumentException($"Unknown output {output.GetType().Name}.", nameof(output)),
        };
        return new JsonObject { ["cell"] = cell, ["output"] = json }.ToJsonString(Relaxed);
    }

    /// <summary>Reads an output line (already stripped of its token): the cell and its output, or null when it is not one.</summary>
    public static (int Cell, CellOutput Output)? ParseOutput(JsonNode json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json["cell"] is not JsonValue cell || !cell.TryGetValue<int>(out var number) || json["output"] is not JsonObject o)
        {
            return null;
        }

        CellOutput? output =
            o["stream"] is JsonValue name ? new StreamOutput(name.GetValue<string>(), o["text"]?.GetValue<string>() ?? "")
            : o["display"] is JsonObject display ? new DisplayOutput(Unbundle(display))
            : o["result"] is JsonObject result ? new ResultOutput(Unbundle(result))
            : o["error"] is JsonValue error ? new ErrorOutput(
                error.GetValue<string>(),
                o["value"]?.GetValue<string>() ?? "",
                o["traceback"] is JsonArray lines ? [.. lines.Select(l => l?.GetValue<string>() ?? "")] : [],
                o["line"]?.GetValue<int>())
            : null;
        return output is null ? null : (number, output);
    }

    /// <summary>The line a worker writes as a cell ends its process with <c>Environment.Exit(code)</c>.</summary>
    public static string ExitLine(int cell, int code) => new JsonObject { ["cell"] = cell, ["exit"] = code }.ToJsonString();

    /// <summary>Reads an exit line: the cell and the exit code, or null when it is not one.</summary>
    public static (int Cell, int Code)? ParseExit(JsonNode json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json["cell"] is JsonValue cell && cell.TryGetValue<int>(out var number)
            && json["exit"] is JsonValue exit && exit.TryGetValue<int>(out var code)
            ? (number, code)
            : null;
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

    private static Dictionary<string, string> Unbundle(JsonObject bundle) =>
        bundle.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "");

    /// <summary>
    /// Reads <paramref name="stream"/> to its end as UTF-8 lines, handing each to <paramref name="onLine"/>; a line longer
    /// than <paramref name="maxLength"/> bytes is dropped whole (it cannot be the worker's), so memory stays bounded.
    /// <paramref name="onBytes"/> sees every block read.
    /// </summary>
    public static async Task ReadLinesAsync(Stream stream, int maxLength, Action<int> onBytes, Action<string> onLine)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        var tooLong = false;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            onBytes(read);
            var start = 0;
            int end;
            while ((end = buffer.AsSpan(start, read - start).IndexOf((byte)'\n')) >= 0)
            {
                Append(buffer.AsSpan(start, end));
                if (!tooLong)
                {
                    onLine(System.Text.Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
                }

                line.SetLength(0);
                tooLong = false;
                start += end + 1;
            }

            Append(buffer.AsSpan(start, read - start));
        }

        void Append(ReadOnlySpan<byte> bytes)
        {
            if (line.Length + bytes.Length > maxLength)
            {
                tooLong = true;
                line.SetLength(0);
            }
            else if (!tooLong)
            {
                line.Write(bytes);
            }
        }
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
