using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Notebooks.Execution;
using Descent.Notebooks.Notebooks;

namespace Descent.Notebooks.Running;

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

/// <summary>Runs a notebook's code cells in order in a fresh <see cref="ExecutionSession"/>, as "Run All" does.</summary>
public static class NotebookRunner
{
    /// <summary>Runs the notebook at <paramref name="path"/>; the source file is only read.</summary>
    /// <param name="path">The notebook.</param>
    /// <param name="cellTimeout">How long one cell may run before it is stopped and reported.</param>
    /// <param name="progress">Receives (cell number, cell count) before each code cell.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="NotebookFormatException">The file is missing, not JSON, or not a notebook.</exception>
    public static async Task<NotebookRunResult> RunAsync(
        string path, TimeSpan cellTimeout, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var document = NotebookDocument.Load(path);
        var executed = (JsonObject)document.Root.DeepClone();
        var cells = executed["cells"]!.AsArray();
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        using var session = ExecutionSession.Create(new ExecutionSessionOptions(folder));
        var clock = Stopwatch.StartNew();
        var times = new Dictionary<int, TimeSpan>();
        var count = 0;
        CellFailure? failure = null;
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
            var run = await CellPolicy.RunAsync(session, cell.Source, cellTimeout, null, cancellationToken);
            times[cell.Number] = run.Elapsed;
            count++;
            if (run.Error is { } error)
            {
                failure = new CellFailure(path, cell.Number, error.Line, error.Name, error.Value);
            }

            var outputs = run.Outputs;
            json["execution_count"] = count;
            json["outputs"] = JupyterOutputs.ToJson(outputs, count);
        }

        return new NotebookRunResult(path, executed, failure, clock.Elapsed, times);
    }
}
