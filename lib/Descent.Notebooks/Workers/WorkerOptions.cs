using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Workers;

/// <summary>The limits and isolation of one worker process.</summary>
/// <param name="Folder">The notebook's folder: the worker's working directory (inside a sandbox, an empty scratch directory there).</param>
/// <param name="CellTimeout">Wall time one cell may run.</param>
public sealed record WorkerOptions(string Folder, TimeSpan CellTimeout)
{
    /// <summary>Default of <see cref="MemoryLimitBytes"/>: 2 GiB.</summary>
    public const long DefaultMemoryLimitBytes = 2L << 30;

    /// <summary>Default of <see cref="ProcessLimit"/>.</summary>
    public const int DefaultProcessLimit = 64;

    /// <summary>Default of <see cref="OutputLimitBytes"/>: 16 MiB.</summary>
    public const long DefaultOutputLimitBytes = 16L << 20;

    /// <summary>Resident memory of the worker and every process it starts, added up; beyond it the worker is ended ("memory limit").</summary>
    public long MemoryLimitBytes { get; init; } = DefaultMemoryLimitBytes;

    /// <summary>Processes the worker may have running at once (itself included); beyond it the worker is ended ("process limit").</summary>
    public int ProcessLimit { get; init; } = DefaultProcessLimit;

    /// <summary>Output the cells may print (captured and raw, added up); beyond it the worker is ended ("output limit").</summary>
    public long OutputLimitBytes { get; init; } = DefaultOutputLimitBytes;

    /// <summary>Read-only paths the notebook needs besides the runtime and package caches (the library build, data); used when sandboxed.</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>Tasks (processes and threads) a worker's control group allows, where one can be made: the kernel's hard stop for a fork bomb.</summary>
    public const int TaskCap = 512;

    /// <summary>Run inside a bubblewrap sandbox (<see cref="Sandbox"/>).</summary>
    public bool Sandboxed { get; init; }

    /// <summary>
    /// Enforce <see cref="MemoryLimitBytes"/>, <see cref="ProcessLimit"/> and <see cref="OutputLimitBytes"/> (the grader's
    /// guard against hostile code). <c>run</c> turns it off: a student's own notebook may use what the machine has.
    /// </summary>
    public bool EnforceLimits { get; init; } = true;

    /// <summary>How much output one cell keeps (<see cref="Engine.OutputLimits"/>).</summary>
    public OutputLimits OutputLimits { get; init; } = OutputLimits.Default;

    /// <summary>Report each cell's kept outputs (see <see cref="WorkerProcess.TakeOutputs"/>); <c>run</c> needs them, <c>grade</c> does not.</summary>
    public bool SendOutputs { get; init; }
}
