using System.Text.RegularExpressions;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Run;

/// <summary>
/// The worker processes of one <c>run</c>, reused across notebooks: a worker whose notebook ran cleanly (every cell ran,
/// none timed out, the process alive) takes the next notebook in a fresh session (<see cref="WorkerProcess.NewSessionAsync"/>:
/// nothing of the last notebook's state, its working directory the next notebook's folder); one whose notebook failed,
/// timed out or died is ended, and the next notebook gets a new process. A cell that ends its process still fails only
/// its own notebook; a process start (about 2 s of a light chapter's time) is paid once per slot, not per notebook.
/// Assemblies a notebook loaded stay loaded in its process, so a worker takes a notebook only if their <c>#r</c>
/// directives agree: no package in another version, no DLL of the same name from another path.
/// </summary>
public sealed partial class NotebookWorkers : IAsyncDisposable
{
    private readonly Stack<WorkerProcess> _idle = new();
    private readonly Dictionary<WorkerProcess, Dictionary<string, string>> _loaded = [];
    private readonly OutputLimits _limits;
    private int _started;
    private int _reused;
    private bool _disposed;

    /// <summary>Workers for notebooks whose cells may each run <paramref name="cellTimeout"/> and keep <paramref name="limits"/> of output.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive.</exception>
    public NotebookWorkers(TimeSpan cellTimeout, OutputLimits? limits = null)
    {
        if (cellTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(cellTimeout), cellTimeout, $"the cell timeout must be positive, but was {cellTimeout}.");
        }

        CellTimeout = cellTimeout;
        _limits = limits ?? OutputLimits.Default;
    }

    /// <summary>How long one cell may run.</summary>
    public TimeSpan CellTimeout { get; }

    /// <summary>Worker processes started so far.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Notebooks handed to a worker that had run an earlier notebook.</summary>
    public int Reused => Volatile.Read(ref _reused);

    /// <summary>
    /// The <c>#r</c> directives of <paramref name="cells"/> (code cells' sources) in the notebook folder
    /// <paramref name="folder"/>, as what they load: "nuget:id" to its version, "dll:name" to its full path.
    /// </summary>
    public static Dictionary<string, string> References(IEnumerable<string> cells, string folder)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in cells.SelectMany(c => ReferenceDirective().Matches(c)))
        {
            var reference = match.Groups["reference"].Value.Trim();
            if (reference.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
            {
                var parts = reference["nuget:".Length..].Split(',', 2, StringSplitOptions.TrimEntries);
                references["nuget:" + parts[0].ToLowerInvariant()] = parts.Length > 1 ? parts[1] : "";
            }
            else
            {
                references["dll:" + Path.GetFileNameWithoutExtension(reference).ToLowerInvariant()] = Path.GetFullPath(Path.Combine(folder, reference));
            }
        }

        return references;
    }

    /// <summary>
    /// A worker ready to run a notebook in <paramref name="folder"/> that loads <paramref name="references"/> (see
    /// <see cref="References"/>): an idle one whose loaded assemblies agree with them, in a fresh session, else a new process.
    /// </summary>
    internal async Task<WorkerProcess> TakeAsync(string folder, IReadOnlyDictionary<string, string> references)
    {
        while (Pop() is { } idle)
        {
            var loaded = Loaded(idle);
            if (!references.Any(r => loaded.TryGetValue(r.Key, out var other) && other != r.Value) && await idle.NewSessionAsync(folder))
            {
                Merge(idle, references);
                Interlocked.Increment(ref _reused);
                return idle;
            }

            // A worker that cannot take this notebook is ended rather than kept: at most one process per slot.
            Forget(idle);
            await idle.DisposeAsync();
        }

        var options = new WorkerOptions(folder, CellTimeout) { EnforceLimits = false, SendOutputs = true, OutputLimits = _limits };
        var worker = await WorkerProcess.StartAsync(options);
        Merge(worker, references);
        Interlocked.Increment(ref _started);
        return worker;
    }

    /// <summary>Takes a worker back after its notebook: kept for the next one when <paramref name="clean"/> and alive, else ended.</summary>
    internal async Task GiveBackAsync(WorkerProcess worker, bool clean)
    {
        if (clean && !worker.HasExited)
        {
            lock (_idle)
            {
                if (!_disposed)
                {
                    _idle.Push(worker);
                    return;
                }
            }
        }

        Forget(worker);
        await worker.DisposeAsync();
    }

    /// <summary>Tells every idle worker no notebook follows and ends it.</summary>
    public async ValueTask DisposeAsync()
    {
        WorkerProcess[] idle;
        lock (_idle)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        lock (_loaded)
        {
            _loaded.Clear();
        }

        await Task.WhenAll(idle.Select(async worker =>
        {
            await worker.FinishAsync(TimeSpan.FromSeconds(5));
            await worker.DisposeAsync();
        }));
    }

    [GeneratedRegex(@"^\s*#r\s+""(?<reference>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex ReferenceDirective();

    private Dictionary<string, string> Loaded(WorkerProcess worker)
    {
        lock (_loaded)
        {
            return _loaded.TryGetValue(worker, out var loaded) ? new(loaded) : [];
        }
    }

    private void Merge(WorkerProcess worker, IReadOnlyDictionary<string, string> references)
    {
        lock (_loaded)
        {
            if (!_loaded.TryGetValue(worker, out var loaded))
            {
                _loaded[worker] = loaded = new(StringComparer.Ordinal);
            }

            foreach (var (key, value) in references)
            {
                loaded[key] = value;
            }
        }
    }

    private void Forget(WorkerProcess worker)
    {
        lock (_loaded)
        {
            _loaded.Remove(worker);
        }
    }

    private WorkerProcess? Pop()
    {
        lock (_idle)
        {
            return _idle.TryPop(out var worker) ? worker : null;
        }
    }
}
