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
        var cause = ProcessEnd.Of(exitCalledWith, exitStatus, stderr);
        var what = cause.ExitCalled ? $"{cause.Phrase}, which ends the kernel process" : $"ended the kernel process: {cause.Phrase}";
        var sentence = $"cell [{executionCount}] {what}; the notebook's state is lost: run the cells above again once the kernel has restarted";
        // The frames of functions the cell declared (Submission#k.F), e.g. the one that recursed, are what help; the
        // runtime's frames and the cell's own body (<Initialize>, <Factory>) are not.
        var frames = cause.Excerpt.Where(l => l.StartsWith("Repeated ", StringComparison.Ordinal) || IsCellFunction(l.TrimStart()));
        return new ErrorOutput(Name, sentence, [.. frames.Take(MaxTracebackLines).Select(l => l.TrimEnd())]);
    }

    private static bool IsCellFunction(string frame) =>
        frame.StartsWith("at Submission#", StringComparison.Ordinal) && !frame.Contains("<Initialize>", StringComparison.Ordinal)
        && !frame.Contains("<Factory>", StringComparison.Ordinal);
}
