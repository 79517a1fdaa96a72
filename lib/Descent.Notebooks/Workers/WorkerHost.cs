using System.Text.Json.Nodes;
using Descent.Notebooks.Execution;

namespace Descent.Notebooks.Workers;

/// <summary>
/// The child side of a worker (hidden subcommand <c>worker</c>): one <see cref="ExecutionSession"/> that runs each
/// cell the parent sends, under <see cref="CellPolicy"/>, and reports it (<see cref="WorkerProtocol"/>). It never reads
/// a notebook from disk, so the cells still to come (a grader's hidden tests) are not there for a cell to find.
/// </summary>
internal static class WorkerHost
{
    /// <summary>Serves cells until the parent sends the end line or closes standard input; returns 0.</summary>
    /// <param name="folder">The notebook's folder (the session's working directory).</param>
    /// <param name="cellTimeoutSeconds">The limit of one cell.</param>
    /// <param name="outputLimitBytes">Captured output (text of every stream and display) one worker may produce.</param>
    public static async Task<int> RunAsync(string folder, double cellTimeoutSeconds, long outputLimitBytes)
    {
        // The protocol's channels are taken before any cell runs; a cell's Console reads nothing and writes to the capture.
        using var input = new StreamReader(Console.OpenStandardInput());
        var token = await input.ReadLineAsync() ?? "";
        using var protocol = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        Console.SetIn(TextReader.Null);
        async Task Send(string json) => await protocol.WriteLineAsync(token + json);

        using var session = ExecutionSession.Create(new ExecutionSessionOptions(folder));
        await Send("{\"ready\":true}");
        long written = 0;
        while (await input.ReadLineAsync() is { } line)
        {
            var message = JsonNode.Parse(line);
            if (message?["end"] is not null)
            {
                break;
            }

            var number = message!["cell"]!.GetValue<int>();
            var source = message["source"]!.GetValue<string>();
            using var overflow = new CancellationTokenSource();
            void Count(CellOutput output)
            {
                var size = output switch
                {
                    StreamOutput s => s.Text.Length,
                    DisplayOutput d => d.Data.Values.Sum(v => (long)v.Length),
                    ResultOutput r => r.Data.Values.Sum(v => (long)v.Length),
                    _ => 0L,
                };
                if (Interlocked.Add(ref written, size) > outputLimitBytes)
                {
                    overflow.Cancel();
                }
            }

            var run = await CellPolicy.RunAsync(session, source, TimeSpan.FromSeconds(cellTimeoutSeconds), Count, overflow.Token);
            var report = Report(number, run, overflow.IsCancellationRequested, outputLimitBytes);
            await Send(WorkerProtocol.ReportLine(report));
            if (report.EndsWorker)
            {
                // The session cannot run more cells (or must not); disposing it could wait for a stuck thread.
                Environment.Exit(0);
            }
        }

        await Send("{\"done\":true}");
        return 0;
    }

    private static WorkerCellReport Report(int number, CellRun run, bool overflowed, long outputLimitBytes)
    {
        if (overflowed)
        {
            return new WorkerCellReport(number, WorkerCellStatus.OutputLimit, "OutputLimit",
                $"output limit: the cells printed more than {outputLimitBytes / 1024 / 1024.0:0.#} MiB.");
        }

        return run.Status switch
        {
            CellStatus.Completed => new WorkerCellReport(number, WorkerCellStatus.Completed, null, null),
            CellStatus.TimedOut => new WorkerCellReport(number, WorkerCellStatus.TimedOut, "Timeout", run.Error!.Value),
            CellStatus.Stuck or CellStatus.Cancelled => new WorkerCellReport(number, WorkerCellStatus.Stuck, "Timeout", run.Error!.Value),
            _ when run.Error!.Name == nameof(OutOfMemoryException) =>
                new WorkerCellReport(number, WorkerCellStatus.MemoryLimit, "MemoryLimit", "memory limit: the cell allocated more memory than the limit allows."),
            _ => new WorkerCellReport(number, WorkerCellStatus.Failed, run.Error!.Name, run.Error.Value),
        };
    }
}
