using Descent.Notebooks.Engine;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Run;

/// <summary>
/// The worker processes of one <c>run</c>, reused across notebooks: a worker whose notebook ran cleanly (every cell ran,
/// none timed out, the process alive) takes the next notebook in a fresh session (<see cref="WorkerProcess.NewSessionAsync"/>:
/// nothing of the last notebook's state, its working directory the next notebook's folder); one whose notebook failed,
/// timed out or died is ended, and the next notebook gets a new process. A cell that ends its process still fails only
/// its own notebook; a process start (about 2 s of a light chapter's time) is paid once per slot, not per notebook.
/// </summary>
public sealed class NotebookWorkers : IAsyncDisposable
{
    private readonly Stack<WorkerProcess> _idle = new();
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

    /// <summary>A worker ready to run a notebook in <paramref name="folder"/>: an idle one in a fresh session, else a new process.</summary>
    internal async Task<WorkerProcess> TakeAsync(string folder)
    {
        while (Pop() is { } idle)
        {
            if (await idle.NewSessionAsync(folder))
            {
                Interlocked.Increment(ref _reused);
                return idle;
            }

            await idle.DisposeAsync();
        }

        var options = new WorkerOptions(folder, CellTimeout) { EnforceLimits = false, SendOutputs = true, OutputLimits = _limits };
        var worker = await WorkerProcess.StartAsync(options);
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

        await Task.WhenAll(idle.Select(async worker =>
        {
            await worker.FinishAsync(TimeSpan.FromSeconds(5));
            await worker.DisposeAsync();
        }));
    }

    private WorkerProcess? Pop()
    {
        lock (_idle)
        {
            return _idle.TryPop(out var worker) ? worker : null;
        }
    }
}
