using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Run;

/// <summary>Where and why a notebook stopped: the notebook, the 1-based cell (counting every cell), the line in the cell.</summary>
/// <param name="Notebook">The notebook's path.</param>
/// <param name="Cell">1-based cell number, counting markdown cells too.</param>
/// <param name="Line">1-based line within the cell, when known.</param>
/// <param name="Name">The error's name (CompilationError, an exception type, Timeout, …).</param>
/// <param name="Message">The compiler's or the exception's message.</param>
public sealed record CellFailure(string Notebook, int Cell, int? Line, string Name, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Notebook}: cell {Cell}{(Line is { } l ? $", line {l}" : string.Empty)}: {Name}: {Message}";
}

/// <summary>The outcome of running one notebook.</summary>
/// <param name="Path">The source notebook.</param>
/// <param name="Executed">The executed copy (outputs and execution counts filled in).</param>
/// <param name="Failure">The first failing cell, or null when every cell ran.</param>
/// <param name="Elapsed">Wall time of the whole notebook.</param>
/// <param name="CellTimes">Wall time per code cell, by 1-based cell number.</param>
public sealed record NotebookRunResult(
    string Path, JsonObject Executed, CellFailure? Failure, TimeSpan Elapsed, IReadOnlyDictionary<int, TimeSpan> CellTimes)
{
    /// <summary>True when every code cell ran.</summary>
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Runs a notebook's code cells in order, as "Run All" does, in a fresh session in a worker process (see
/// <see cref="NotebookWorkers"/>: a process is reused only after a notebook that ran cleanly): a cell that ends its
/// process (a stack overflow, <c>Environment.Exit</c>, a crash) fails this notebook, naming the cell and the cause, and
/// nothing else.
/// </summary>
public static class NotebookRunner
{
    // Beyond the cell's own limit, which the worker enforces: the time its session may take to give up a stuck cell.
    private static readonly TimeSpan WorkerGrace = TimeSpan.FromSeconds(30);

    /// <summary>Runs the notebook at <paramref name="path"/> in a worker process of its own; the source file is only read.</summary>
    /// <param name="path">The notebook.</param>
    /// <param name="cellTimeout">How long one cell may run before it is stopped and reported.</param>
    /// <param name="progress">Receives (cell number, cell count) before each code cell.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="limits">How much output one cell keeps (default: <see cref="OutputLimits.Default"/>).</param>
    /// <exception cref="NotebookFormatException">The file is missing, not JSON, or not a notebook.</exception>
    public static async Task<NotebookRunResult> RunAsync(
        string path, TimeSpan cellTimeout, Action<int, int>? progress = null, CancellationToken cancellationToken = default, OutputLimits? limits = null)
    {
        await using var workers = new NotebookWorkers(cellTimeout, limits);
        return await RunAsync(path, workers, progress, cancellationToken);
    }

    /// <summary>
    /// Runs the notebook at <paramref name="path"/> in a fresh session on one of <paramref name="workers"/> (a worker an
    /// earlier notebook left clean, else a new process); the source file is only read.
    /// </summary>
    /// <param name="path">The notebook.</param>
    /// <param name="workers">The run's workers; their cell timeout and output limits apply.</param>
    /// <param name="progress">Receives (cell number, cell count) before each code cell.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="NotebookFormatException">The file is missing, not JSON, or not a notebook.</exception>
    public static async Task<NotebookRunResult> RunAsync(
        string path, NotebookWorkers workers, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var document = NotebookDocument.Load(path);
        var executed = (JsonObject)document.Root.DeepClone();
        var cells = executed["cells"]!.AsArray();
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var cellTimeout = workers.CellTimeout;
        var clock = Stopwatch.StartNew();
        var times = new Dictionary<int, TimeSpan>();
        var count = 0;
        CellFailure? failure = null;
        var worker = await workers.TakeAsync(folder, NotebookWorkers.References(document.Cells.Where(c => c.IsCode).Select(c => c.Source), folder));
        var clean = false;
        try
        {
            foreach (var cell in document.Cells)
            {
                if (!cell.IsCode)
                {
                    continue;
                }

                var json = cells[cell.Number - 1]!.AsObject();
                if (failure is not null)
                {
                    // Like Jupyter's "Run All", stop at the first failure; later cells keep no outputs.
                    json["outputs"] = new JsonArray();
                    json["execution_count"] = null;
                    continue;
                }

                progress?.Invoke(cell.Number, document.Cells.Count);
                var cellClock = Stopwatch.StartNew();
                var report = await worker.RunCellAsync(cell.Number, cell.Source, cellTimeout + WorkerGrace, cancellationToken);
                var (outputs, error) = Outcome(cell.Number, report, worker.TakeOutputs());
                if (report is null)
                {
                    await worker.DisposeAsync();
                    var cause = cellClock.Elapsed >= cellTimeout + WorkerGrace
                        ? $"cell {cell.Number} did not finish within {(cellTimeout + WorkerGrace).TotalSeconds:0.#} s and its process was ended"
                        : worker.EndCause(cell.Number);
                    error = new ErrorOutput("ProcessEnded", cause, [cause]);
                    outputs = [.. outputs, error];
                }

                times[cell.Number] = cellClock.Elapsed;
                count++;
                if (error is not null)
                {
                    failure = new CellFailure(path, cell.Number, error.Line, error.Name, error.Value);
                }

                json["execution_count"] = count;
                json["outputs"] = JupyterOutputs.ToJson(outputs, count);
            }

            // Only a worker whose every cell ran is handed another notebook; one that failed, timed out or died is ended.
            clean = failure is null;
        }
        finally
        {
            await workers.GiveBackAsync(worker, clean);
        }

        return new NotebookRunResult(path, executed, failure, clock.Elapsed, times);
    }

    // A failed cell's error came with its outputs; a limit's (timeout, stuck) replaces the interruption they carry.
    private static (IReadOnlyList<CellOutput> Outputs, ErrorOutput? Error) Outcome(int cell, WorkerCellReport? report, IReadOnlyList<CellOutput> outputs)
    {
        switch (report?.Status)
        {
            case null:
                return (outputs, null);
            case WorkerCellStatus.Completed:
                return (outputs, null);
            case WorkerCellStatus.Failed:
                var error = outputs.OfType<ErrorOutput>().LastOrDefault()
                    ?? new ErrorOutput(report.Name ?? "Error", report.Message ?? $"cell {cell} failed.", [report.Message ?? ""]);
                return (outputs, error);
            default:
                var reported = new ErrorOutput(report.Name ?? "Timeout", report.Message ?? "", [report.Message ?? ""]);
                return ([.. outputs.Where(o => o is not ErrorOutput), reported], reported);
        }
    }
}
