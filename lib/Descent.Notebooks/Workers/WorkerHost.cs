using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Workers;

/// <summary>What the parent asks of a worker on its command line.</summary>
/// <param name="Folder">The notebook's folder (the session's working directory).</param>
/// <param name="CellTimeoutSeconds">The limit of one cell.</param>
/// <param name="OutputLimitBytes">Output (before <see cref="OutputLimits"/>) the cells may produce in all; beyond it the worker ends ("output limit").</param>
/// <param name="Limits">How much output one cell keeps.</param>
/// <param name="SendOutputs">Report each kept output to the parent (<c>run</c> needs them; <c>grade</c> does not).</param>
/// <param name="EnforceLimits">The parent enforces memory and output limits (<see cref="WorkerOptions.EnforceLimits"/>).</param>
internal sealed record WorkerHostOptions(string Folder, double CellTimeoutSeconds, long OutputLimitBytes, OutputLimits Limits, bool SendOutputs, bool EnforceLimits);

/// <summary>
/// The child side of a worker (hidden subcommand <c>worker</c>): an <see cref="ExecutionSession"/> that runs each
/// cell the parent sends, under <see cref="CellPolicy"/>, and reports it (<see cref="WorkerProtocol"/>); a fresh
/// session, the process put back as it was (<see cref="ProcessBaseline"/>), for each further notebook <c>run</c>
/// hands it. It never reads a notebook from disk, so the cells still to come (a grader's hidden tests) are not there
/// for a cell to find.
/// </summary>
internal static class WorkerHost
{
    private const int NoCell = 0;

    /// <summary>Serves cells until the parent sends the end line or closes standard input; returns 0.</summary>
    public static async Task<int> RunAsync(WorkerHostOptions options)
    {
        // The protocol's channels are taken before any cell runs; a cell's Console reads nothing and writes to the capture.
        using var input = new StreamReader(Console.OpenStandardInput());
        var token = await input.ReadLineAsync() ?? "";
        using var protocol = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        Console.SetIn(TextReader.Null);
        void Send(string json)
        {
            lock (protocol)
            {
                protocol.WriteLine(token + json);
            }
        }

        // A cell that calls Environment.Exit ends the process; say which cell did, before it goes.
        var running = NoCell;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Volatile.Read(ref running) is var cell and not NoCell)
            {
                Send(WorkerProtocol.ExitLine(cell, Environment.ExitCode));
            }
        };

        // What the process looked like before any cell ran: a reused worker goes back to it before its next notebook.
        var baseline = ProcessBaseline.Capture();
        var session = await StartSessionAsync(options.Folder, options);
        Send("{\"ready\":true}");
        try
        {
            while (await input.ReadLineAsync() is { } line)
            {
                var message = JsonNode.Parse(line)!;
                if (message["end"] is not null)
                {
                    break;
                }

                if (message["session"] is JsonValue next)
                {
                    // run's next notebook (its previous one ran cleanly): nothing of the old session stays reachable.
                    session.Dispose();
                    var folder = next.GetValue<string>();
                    baseline.Restore(folder);
                    session = await StartSessionAsync(folder, options);
                    Send("{\"ready\":true}");
                    continue;
                }

                await RunCellAsync(message, session, () => session, options, Send, cell => Volatile.Write(ref running, cell));
            }
        }
        finally
        {
            session.Dispose();
        }

        Send("{\"done\":true}");
        return 0;
    }

    // A session's first cell pays for loading the compiler and binding the framework (seconds on a cold process): an
    // empty submission pays it here, so a cell's time limit measures the cell.
    private static async Task<ExecutionSession> StartSessionAsync(string folder, WorkerHostOptions options)
    {
        var session = ExecutionSession.Create(new ExecutionSessionOptions(folder) { OutputLimits = options.Limits });
        await session.SubmitAsync(";", null, CancellationToken.None);
        return session;
    }

    private static async Task RunCellAsync(
        JsonNode message, ExecutionSession session, Func<ExecutionSession> current, WorkerHostOptions options, Action<string> send, Action<int> setRunning)
    {
        var number = message["cell"]!.GetValue<int>();
        var source = message["source"]!.GetValue<string>();
        using var overflow = new CancellationTokenSource();
        void Watch(CellOutput output)
        {
            // A thread a notebook left running still writes to its cell; once the next notebook has the worker, that is dropped.
            if (options.SendOutputs && ReferenceEquals(current(), session))
            {
                send(WorkerProtocol.OutputLine(number, output));
            }

            CancelPastLimit();
        }

        // Output a cell keeps is watched as it comes; output past the cell's limits only shows in the count.
        using var poll = new Timer(_ => CancelPastLimit(), null, 50, 50);
        void CancelPastLimit()
        {
            try
            {
                if (session.OutputProduced > options.OutputLimitBytes)
                {
                    overflow.Cancel();
                }
            }
            catch (ObjectDisposedException)
            {
                // The cell has ended.
            }
        }

        setRunning(number);
        var run = await CellPolicy.RunAsync(session, source, TimeSpan.FromSeconds(options.CellTimeoutSeconds), Watch, overflow.Token);
        setRunning(NoCell);
        var report = Report(number, run, overflow.IsCancellationRequested, options);
        send(WorkerProtocol.ReportLine(report));
        if (report.EndsWorker)
        {
            // The session cannot run more cells (or must not); disposing it could wait for a stuck thread.
            Environment.Exit(0);
        }
    }

    private static WorkerCellReport Report(int number, CellRun run, bool overflowed, WorkerHostOptions options)
    {
        if (overflowed)
        {
            return new WorkerCellReport(number, WorkerCellStatus.OutputLimit, "OutputLimit",
                $"output limit: the cells printed more than {options.OutputLimitBytes / 1024 / 1024.0:0.#} MiB.");
        }

        return run.Status switch
        {
            CellStatus.Completed => new WorkerCellReport(number, WorkerCellStatus.Completed, null, null),
            CellStatus.TimedOut => new WorkerCellReport(number, WorkerCellStatus.TimedOut, "Timeout", run.Error!.Value),
            CellStatus.Stuck or CellStatus.Cancelled => new WorkerCellReport(number, WorkerCellStatus.Stuck, "Timeout", run.Error!.Value),
            _ when run.Error!.Name == nameof(OutOfMemoryException) && options.EnforceLimits =>
                new WorkerCellReport(number, WorkerCellStatus.MemoryLimit, "MemoryLimit", "memory limit: the cell allocated more memory than the limit allows."),
            _ => new WorkerCellReport(number, WorkerCellStatus.Failed, run.Error!.Name, run.Error.Value),
        };
    }
}
