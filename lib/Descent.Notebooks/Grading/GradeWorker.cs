using System.Text.Json;
using System.Text.Json.Nodes;
using Descent.Notebooks.Execution;
using Descent.Notebooks.Notebooks;

namespace Descent.Notebooks.Grading;

/// <summary>
/// The child process of <c>grade</c> (hidden subcommand <c>grade-worker</c>): runs every code cell of one notebook in
/// order, continuing after errors like nbgrader's autograder, and writes one JSON line per finished cell to standard
/// output, each prefixed with a token the parent sends on standard input before any student code runs.
/// </summary>
internal static class GradeWorker
{
    /// <summary>Runs the notebook; returns 0, or 2 when it cannot be read.</summary>
    public static async Task<int> RunAsync(string notebookPath, string folder, double cellTimeoutSeconds)
    {
        var token = Console.In.ReadLine() ?? "";
        // The protocol goes to the real standard output; the engine captures Console for the cells.
        using var protocol = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        NotebookDocument document;
        try
        {
            document = NotebookDocument.Load(notebookPath);
        }
        catch (NotebookFormatException e)
        {
            await protocol.WriteLineAsync(token + JsonSerializer.Serialize(new { fatal = e.Message }));
            return 2;
        }

        using var session = ExecutionSession.Create(new ExecutionSessionOptions(folder));
        foreach (var cell in document.Cells.Where(c => c.IsCode))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(cellTimeoutSeconds));
            var result = await session.SubmitAsync(cell.Source, null, timeout.Token);
            var line = new JsonObject { ["cell"] = cell.Number, ["ok"] = result.Succeeded };
            if (result.Error is { } error)
            {
                line["name"] = timeout.IsCancellationRequested ? "Timeout" : error.Name;
                // A cell that ignores the interrupt leaves the session unusable; the grader then runs the cells after it anew.
                var stuck = timeout.IsCancellationRequested && error.Value.Contains("did not stop", StringComparison.Ordinal);
                line["message"] = !timeout.IsCancellationRequested ? error.Value
                    : stuck ? $"the cell timed out after {cellTimeoutSeconds:0.#} s and did not stop."
                    : $"the cell timed out after {cellTimeoutSeconds:0.#} s and was stopped.";
                if (stuck)
                {
                    // The session cannot run more cells, and disposing it could wait for the stuck thread: leave now.
                    line["stuck"] = true;
                    await protocol.WriteLineAsync(token + line.ToJsonString());
                    Environment.Exit(0);
                }
            }

            await protocol.WriteLineAsync(token + line.ToJsonString());
        }

        await protocol.WriteLineAsync(token + "{\"done\":true}");
        return 0;
    }
}
