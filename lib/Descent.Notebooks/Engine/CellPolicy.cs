namespace Descent.Notebooks.Engine;

/// <summary>How one cell run under <see cref="CellPolicy"/> ended.</summary>
public enum CellStatus
{
    /// <summary>The cell ran to completion.</summary>
    Completed,

    /// <summary>The cell did not compile or threw.</summary>
    Failed,

    /// <summary>The cell ran past its limit and was stopped; the session can run more cells.</summary>
    TimedOut,

    /// <summary>The cell ran past its limit and ignored the interrupt: the session is lost.</summary>
    Stuck,

    /// <summary>The caller cancelled the run (not the limit).</summary>
    Cancelled,
}

/// <summary>One cell's run: its status, its outputs (the reported error last) and its wall time.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Outputs">Every output in order; a timeout's error says so in words.</param>
/// <param name="Error">The error reported for the cell, or null when it completed.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record CellRun(CellStatus Status, IReadOnlyList<CellOutput> Outputs, ErrorOutput? Error, TimeSpan Elapsed);

/// <summary>
/// The one rule for running a cell with a time limit, shared by <c>run</c>, the grader's worker and the tests: the
/// cell is interrupted at its limit, and the outcome is typed (completed, failed, timed out, stuck, cancelled)
/// instead of being read back from an error's text.
/// </summary>
public static class CellPolicy
{
    /// <summary>Runs <paramref name="code"/> in <paramref name="session"/>, interrupting it after <paramref name="limit"/>.</summary>
    /// <param name="session">The session the cell runs in.</param>
    /// <param name="code">The cell's source.</param>
    /// <param name="limit">Wall time the cell may take.</param>
    /// <param name="onOutput">Sees each output as it is produced; may be null.</param>
    /// <param name="cancellationToken">Stops the cell for the caller (reported as <see cref="CellStatus.Cancelled"/>).</param>
    public static async Task<CellRun> RunAsync(
        ExecutionSession session, string code, TimeSpan limit, Action<CellOutput>? onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await session.SubmitAsync(code, onOutput, timeout.Token);
        if (result.Error is not { } error)
        {
            return new CellRun(CellStatus.Completed, result.Outputs, null, clock.Elapsed);
        }

        var interrupted = timeout.IsCancellationRequested;
        if (interrupted && cancellationToken.IsCancellationRequested)
        {
            return new CellRun(session.IsAbandoned ? CellStatus.Stuck : CellStatus.Cancelled, result.Outputs, error, clock.Elapsed);
        }

        if (!interrupted)
        {
            return new CellRun(CellStatus.Failed, result.Outputs, error, clock.Elapsed);
        }

        var stuck = session.IsAbandoned;
        var message = stuck
            ? $"Cell timed out after {Seconds(limit)} s and did not stop."
            : $"Cell timed out after {Seconds(limit)} s and was stopped.";
        var reported = new ErrorOutput("Timeout", message, [message]);
        CellOutput[] outputs = [.. result.Outputs.Where(o => o is not ErrorOutput), reported];
        return new CellRun(stuck ? CellStatus.Stuck : CellStatus.TimedOut, outputs, reported, clock.Elapsed);
    }

    private static string Seconds(TimeSpan limit) => limit.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
