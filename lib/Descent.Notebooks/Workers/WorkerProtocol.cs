using System.Text.Json.Nodes;

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
/// (<c>{"cell":n,"source":"…"}</c>) just before it is to run, or <c>{"end":true}</c>. The worker answers on standard
/// output with lines that start with the token: <c>{"ready":true}</c>, one report per cell, <c>{"done":true}</c>.
/// Lines without the token (a student's raw writes to the process's standard output) are ignored by the parent.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>Longest protocol line the parent reads; a longer line is dropped (it cannot be the worker's).</summary>
    public const int MaxLineLength = 256 * 1024;

    /// <summary>The line that sends a cell.</summary>
    public static string CellLine(int cell, string source) => new JsonObject { ["cell"] = cell, ["source"] = source }.ToJsonString();

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

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
