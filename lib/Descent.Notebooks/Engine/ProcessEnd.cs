namespace Descent.Notebooks.Engine;

/// <summary>Why a process running cells ended in the middle of one, as a phrase, and the lines of its standard error that show where.</summary>
/// <param name="Phrase">
/// <c>called Environment.Exit(3)</c> when the cell did; otherwise what ended it: <c>stack overflow (runaway recursion?)</c>,
/// <c>Environment.FailFast("…")</c>, an uncaught exception on another thread, a signal, or the exit status.
/// </param>
/// <param name="ExitCalled">True when the cell called <c>Environment.Exit</c>.</param>
/// <param name="Excerpt">The standard-error lines after the runtime's first word on it (a stack overflow's repeated frames).</param>
public sealed record ProcessEndCause(string Phrase, bool ExitCalled, IReadOnlyList<string> Excerpt);

/// <summary>
/// The one reading of how a process that ran cells ended — a <c>run</c> or <c>grade</c> worker, or the kernel — from
/// the code its exit handler saw <c>Environment.Exit</c> pass, its exit status and what the runtime wrote to standard error.
/// </summary>
public static class ProcessEnd
{
    /// <summary>The cause, most certain first: a reported exit call, then the runtime's own words, then the signal or status.</summary>
    /// <param name="exitCalledWith">The code a cell passed to <c>Environment.Exit</c>, as the exit handler reported it; null when it did not run.</param>
    /// <param name="exitStatus">The process's exit status (128 + the signal when a signal ended it), when known.</param>
    /// <param name="stderr">What the process wrote to standard error, line by line.</param>
    public static ProcessEndCause Of(int? exitCalledWith, int? exitStatus, IReadOnlyList<string> stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        if (exitCalledWith is { } code)
        {
            return new($"called Environment.Exit({code})", true, []);
        }

        var overflow = IndexOf(stderr, "Stack overflow.");
        if (overflow >= 0)
        {
            // .NET prints the repeated frames, e.g. "Repeated 261827 times:", "at Submission#1.F(Int32)".
            return new("stack overflow (runaway recursion?)", false, [.. stderr.Skip(overflow + 1)]);
        }

        var failFast = IndexOf(stderr, "Process terminated.");
        if (failFast >= 0)
        {
            var message = string.Join(" ", stderr.Skip(failFast + 1).TakeWhile(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).Select(l => l.Trim()));
            return new($"Environment.FailFast(\"{message}\")", false, [.. stderr.Skip(failFast + 1)]);
        }

        var unhandled = IndexOf(stderr, "Unhandled exception. ");
        if (unhandled >= 0)
        {
            var exception = stderr[unhandled]["Unhandled exception. ".Length..].Trim();
            return new($"an exception on another thread was not caught: {exception}", false, [.. stderr.Skip(unhandled + 1)]);
        }

        if (exitStatus is > 128 and < 160 && !OperatingSystem.IsWindows())
        {
            var signal = exitStatus.Value - 128;
            var name = signal switch
            {
                6 => "SIGABRT",
                9 => "SIGKILL; the system's out-of-memory killer sends it",
                11 => "SIGSEGV",
                15 => "SIGTERM",
                _ => "a signal",
            };
            return new($"killed by signal {signal} ({name})", false, stderr);
        }

        return new($"exit status {exitStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}", false, stderr);
    }

    private static int IndexOf(IReadOnlyList<string> lines, string start)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith(start, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
