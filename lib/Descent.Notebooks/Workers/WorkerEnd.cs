using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Workers;

/// <summary>Why a worker ended in the middle of a cell, in words that name the cell.</summary>
internal static class WorkerEnd
{
    /// <summary>A limit the parent enforced, else <see cref="ProcessEnd"/>'s reading of the exit call, standard error and status.</summary>
    /// <param name="cell">The cell that was running.</param>
    /// <param name="limit">The limit that ended the worker, or null.</param>
    /// <param name="exitCall">The cell and code of a reported <c>Environment.Exit</c>, or null.</param>
    /// <param name="stderr">The worker's standard error, line by line.</param>
    /// <param name="exitCode">The process's exit code, when known.</param>
    public static string Describe(int cell, string? limit, (int Cell, int Code)? exitCall, IReadOnlyList<string> stderr, int? exitCode)
    {
        if (limit is not null)
        {
            return $"cell {cell} hit the {limit}";
        }

        var cause = ProcessEnd.Of(exitCall is { } exit && exit.Cell == cell ? exit.Code : null, exitCode, stderr);
        return cause.ExitCalled ? $"cell {cell} {cause.Phrase}" : $"cell {cell} ended the process: {cause.Phrase}";
    }
}
