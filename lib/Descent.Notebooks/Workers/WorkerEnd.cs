using System.Globalization;

namespace Descent.Notebooks.Workers;

/// <summary>Why a worker ended in the middle of a cell, in words that name the cell.</summary>
internal static class WorkerEnd
{
    /// <summary>
    /// The cause, in order of certainty: a limit the parent enforced, a call of <c>Environment.Exit</c> the worker
    /// reported as it went, what the runtime wrote to standard error (a stack overflow, <c>Environment.FailFast</c>,
    /// another crash), the signal that killed it, or its exit code.
    /// </summary>
    /// <param name="cell">The cell that was running.</param>
    /// <param name="limit">The limit that ended the worker, or null.</param>
    /// <param name="exitCall">The cell and code of a reported <c>Environment.Exit</c>, or null.</param>
    /// <param name="stderr">The worker's standard error, as non-empty trimmed lines.</param>
    /// <param name="exitCode">The process's exit code, when known.</param>
    public static string Describe(int cell, string? limit, (int Cell, int Code)? exitCall, IReadOnlyList<string> stderr, int? exitCode)
    {
        if (limit is not null)
        {
            return $"cell {cell} hit the {limit}";
        }

        if (exitCall is { } exit && exit.Cell == cell)
        {
            return $"cell {cell} called Environment.Exit({exit.Code.ToString(CultureInfo.InvariantCulture)})";
        }

        var first = stderr.Count > 0 ? stderr[0] : "";
        var cause = first.StartsWith("Stack overflow", StringComparison.Ordinal) ? "stack overflow"
            : first.StartsWith("Process terminated", StringComparison.Ordinal) && stderr.Count > 1
                ? $"Environment.FailFast: {WorkerProtocol.Truncate(stderr[1], 300)}"
            : first.Length > 0 ? WorkerProtocol.Truncate(first.TrimEnd('.'), 300)
            : exitCode is > 128 and < 160 ? $"killed by signal {exitCode - 128}{Signal(exitCode.Value - 128)}"
            : $"exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}";
        return $"cell {cell} ended the process: {cause}";
    }

    private static string Signal(int number) => number switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL: the system may have run out of memory)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };
}
