using System.Diagnostics;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Run;

/// <summary>
/// <c>bench</c>: the engine's cold start (session created, first cell's result), its overhead per trivial cell after
/// warm-up, and a worker process's start to its first cell's result. A measurement to quote, not a test; wall time on a busy machine overstates it, so process CPU time is
/// reported beside it.
/// </summary>
public static class Benchmark
{
    private const int WorkerRounds = 5;

    /// <summary>Runs the measurement and writes the figures to <paramref name="log"/>; 0 on success.</summary>
    /// <param name="cells">Trivial cells to time after warm-up (at least 10).</param>
    /// <param name="log">Where the figures go.</param>
    public static async Task<int> RunAsync(int cells, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (cells < 10)
        {
            log.WriteLine($"error: --cells must be at least 10, but was {cells}.");
            return RunCommand.BadInput;
        }

        var folder = Directory.CreateTempSubdirectory("descent-bench-").FullName;
        try
        {
            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using var session = ExecutionSession.Create(new ExecutionSessionOptions(folder));
            var first = await session.SubmitAsync("1 + 1", null, CancellationToken.None);
            var coldWall = clock.Elapsed.TotalMilliseconds;
            process.Refresh();
            var coldCpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
            if (!first.Succeeded)
            {
                log.WriteLine($"error: the first cell failed: {first.Error!.Value}");
                return RunCommand.CellFailed;
            }

            for (var i = 0; i < 20; i++)
            {
                await session.SubmitAsync($"var w{i} = {i};", null, CancellationToken.None);
            }

            var wall = new List<double>();
            var cpu = new List<double>();
            for (var i = 0; i < cells; i++)
            {
                process.Refresh();
                var before = process.TotalProcessorTime;
                clock.Restart();
                var result = await session.SubmitAsync(i % 2 == 0 ? $"{i} * 2" : $"var v{i} = w{i % 20} + {i};", null, CancellationToken.None);
                wall.Add(clock.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - before).TotalMilliseconds);
                if (!result.Succeeded)
                {
                    log.WriteLine($"error: cell {i} failed: {result.Error!.Value}");
                    return RunCommand.CellFailed;
                }
            }

            log.WriteLine($"cold start (session created, first cell's result): {coldWall:F0} ms wall, {coldCpu:F0} ms CPU");
            log.WriteLine($"trivial cell after warm-up, {cells} cells: wall median {Percentile(wall, 0.5):F1} ms, p90 {Percentile(wall, 0.9):F1} ms; " +
                          $"CPU median {Percentile(cpu, 0.5):F1} ms, p90 {Percentile(cpu, 0.9):F1} ms (all threads, GC and JIT included)");
            // What run and grade pay per notebook: a worker process's start to its first cell's result (unsandboxed).
            var workers = new List<double>();
            for (var i = 0; i < WorkerRounds; i++)
            {
                clock.Restart();
                await using var worker = await WorkerProcess.StartAsync(new WorkerOptions(folder, TimeSpan.FromSeconds(60)));
                var report = await worker.RunCellAsync(1, "1 + 1", TimeSpan.FromSeconds(60), CancellationToken.None);
                workers.Add(clock.Elapsed.TotalMilliseconds);
                if (report?.Status != WorkerCellStatus.Completed)
                {
                    log.WriteLine($"error: a worker's first cell failed: {report?.Message ?? worker.LimitHit ?? worker.FirstError}");
                    return RunCommand.CellFailed;
                }

                await worker.FinishAsync(TimeSpan.FromSeconds(10));
            }

            log.WriteLine($"worker process, start to its first trivial cell's result, {WorkerRounds} workers one after another: " +
                          $"median {Percentile(workers, 0.5):F0} ms, min {workers.Min():F0} ms, max {workers.Max():F0} ms");
            log.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
            return RunCommand.Success;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
