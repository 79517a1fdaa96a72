namespace Descent.Notebooks.Engine;

/// <summary>Options of an <see cref="ExecutionSession"/>.</summary>
/// <param name="WorkingDirectory">The notebook's folder: <c>#r "path"</c> resolves relative to it.</param>
public sealed record ExecutionSessionOptions(string WorkingDirectory)
{
    /// <summary>Where restored package sets are cached (default: ~/.cache/descent/restore, or $DESCENT_NUGET_CACHE).</summary>
    public string? RestoreCacheDirectory { get; init; }

    /// <summary>How long an interrupted cell may take to stop before the session is given up.</summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How much output one cell keeps (<see cref="OutputLimits"/>).</summary>
    public OutputLimits OutputLimits { get; init; } = OutputLimits.Default;
}
