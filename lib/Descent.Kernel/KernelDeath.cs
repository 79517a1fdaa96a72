using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;

namespace Descent.Kernel;

/// <summary>The execute request that was running in the kernel process, as the kernel told its supervisor.</summary>
/// <param name="Header">The request's header (the parent header of every message about it).</param>
/// <param name="Identities">The ROUTER identities it came from (where its reply goes).</param>
/// <param name="ExecutionCount">Its execution count: the front end's <c>[n]</c>.</param>
/// <param name="Session">The kernel's session id (the header of every message the kernel sent).</param>
internal sealed record RunningCell(JsonObject Header, IReadOnlyList<byte[]> Identities, int ExecutionCount, string Session)
{
    /// <summary>Reads the kernel's <c>cell</c> line; null when it is not one.</summary>
    public static RunningCell? Parse(JsonNode? json)
    {
        if (json?["header"] is not JsonObject header || json["execution_count"] is not JsonValue count || !count.TryGetValue<int>(out var n)
            || json["session"] is not JsonValue session || json["identities"] is not JsonArray identities)
        {
            return null;
        }

        try
        {
            var ids = identities.Select(i => Convert.FromBase64String((string?)i ?? string.Empty)).ToArray();
            return new RunningCell((JsonObject)header.DeepClone(), ids, n, (string?)session ?? string.Empty);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Why a kernel process ended during a cell, in a sentence naming the cell: the error its front end shows.</summary>
internal static class KernelDeath
{
    /// <summary>The <c>ename</c> of every such error.</summary>
    public const string Name = "KernelProcessEnded";

    private const int MaxTracebackLines = 8;

    /// <summary>
    /// The error for cell <c>[<paramref name="executionCount"/>]</c>, from how the process ended: the code it passed to
    /// <c>Environment.Exit</c> (from its exit handler; null when that did not run), its exit status (128 + signal
    /// when a signal ended it) and what the runtime wrote to standard error after the cell started.
    /// </summary>
    public static ErrorOutput Describe(int executionCount, int? exitCalledWith, int exitStatus, IReadOnlyList<string> stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var (cause, excerpt) = Cause(exitCalledWith, exitStatus, stderr);
        var sentence = $"cell [{executionCount}] {cause}; the notebook's state is lost: run the cells above again once the kernel has restarted";
        // The frames of functions the cell declared (Submission#k.F), e.g. the one that recursed, are what help; the
        // runtime's frames and the cell's own body (<Initialize>, <Factory>) are not.
        var frames = excerpt.Where(l => l.StartsWith("Repeated ", StringComparison.Ordinal) || IsCellFunction(l.TrimStart()));
        return new ErrorOutput(Name, sentence, [.. frames.Take(MaxTracebackLines).Select(l => l.TrimEnd())]);
    }

    private static (string Cause, IEnumerable<string> Excerpt) Cause(int? exitCalledWith, int exitStatus, IReadOnlyList<string> stderr)
    {
        if (exitCalledWith is { } code)
        {
            return ($"called Environment.Exit({code}), which ends the kernel process", []);
        }

        var overflow = IndexOf(stderr, l => l.StartsWith("Stack overflow.", StringComparison.Ordinal));
        if (overflow >= 0)
        {
            // .NET prints the repeated frames, e.g. "Repeated 261827 times:", "at Submission#1.<<Initialize>>g__F|0_0(Int32)".
            return ("ended the kernel process: stack overflow (runaway recursion?)", stderr.Skip(overflow + 1));
        }

        var failFast = IndexOf(stderr, l => l.StartsWith("Process terminated.", StringComparison.Ordinal));
        if (failFast >= 0)
        {
            var message = string.Join(" ", stderr.Skip(failFast + 1).TakeWhile(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).Select(l => l.Trim()));
            return ($"ended the kernel process: Environment.FailFast(\"{message}\")", stderr.Skip(failFast + 1));
        }

        var unhandled = IndexOf(stderr, l => l.StartsWith("Unhandled exception. ", StringComparison.Ordinal));
        if (unhandled >= 0)
        {
            var exception = stderr[unhandled]["Unhandled exception. ".Length..].Trim();
            return ($"ended the kernel process: an exception on another thread was not caught: {exception}", stderr.Skip(unhandled + 1));
        }

        if (exitStatus > 128 && !OperatingSystem.IsWindows())
        {
            var signal = exitStatus - 128;
            var name = signal switch
            {
                6 => "SIGABRT",
                9 => "SIGKILL; the system's out-of-memory killer sends it",
                11 => "SIGSEGV",
                15 => "SIGTERM",
                _ => "a signal",
            };
            return ($"ended the kernel process: killed by signal {signal} ({name})", stderr);
        }

        return ($"ended the kernel process (exit status {exitStatus})", stderr);
    }

    private static bool IsCellFunction(string frame) =>
        frame.StartsWith("at Submission#", StringComparison.Ordinal) && !frame.Contains("<Initialize>", StringComparison.Ordinal)
        && !frame.Contains("<Factory>", StringComparison.Ordinal);

    private static int IndexOf(IReadOnlyList<string> lines, Func<string, bool> match)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (match(lines[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
