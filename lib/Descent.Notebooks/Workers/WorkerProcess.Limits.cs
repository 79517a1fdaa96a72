using System.Globalization;

namespace Descent.Notebooks.Workers;

/// <summary>The worker's limits, as the parent enforces them: output that bypasses the capture, memory and processes.</summary>
public sealed partial class WorkerProcess
{
    private void EndFor(string limit)
    {
        LimitHit ??= limit;
        Kill();
    }

    private void CountRaw(int bytes)
    {
        // The cells' captured output is limited inside the worker; this limits what bypasses the capture.
        if (Interlocked.Add(ref _rawBytes, bytes) > _options.OutputLimitBytes + (1 << 20) && _options.EnforceLimits)
        {
            EndFor($"output limit: the submission wrote more than {Mib(_options.OutputLimitBytes)} to its standard output and error.");
        }
    }

    private async Task WatchAsync()
    {
        if (!OperatingSystem.IsLinux() || !_options.EnforceLimits)
        {
            return;
        }

        // A sandbox adds two bubblewrap processes above the worker.
        var overhead = _options.Sandboxed ? 2 : 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token) && !_process.HasExited)
            {
                var usage = ProcessTreeUsage.Of(_process.Id);
                if (usage.ResidentBytes > _options.MemoryLimitBytes || _cgroup?.MemoryCapHit == true)
                {
                    EndFor(MemoryMessage());
                }
                else if (usage.Count - overhead > _options.ProcessLimit || _cgroup?.TasksCapHit == true)
                {
                    EndFor(ProcessMessage());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private string MemoryMessage() => $"memory limit: the submission used more than {Mib(_options.MemoryLimitBytes)} of memory.";

    private string ProcessMessage() => $"process limit: the submission ran more than {_options.ProcessLimit} processes at once.";

    private static string Mib(long bytes) => bytes >= 1L << 30
        ? $"{(bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture)} GiB"
        : $"{(bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture)} MiB";
}
