using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

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
}

/// <summary>
/// The parent side of a worker: starts the process (sandboxed or not), sends each cell just before it is to run, reads
/// the token-prefixed reports, and ends the process — with everything it started — when a limit is hit, the time is
/// up, or it is disposed.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private const int StderrKept = 16_000;
    private readonly Process _process;
    private readonly string _token;
    private readonly WorkerOptions _options;
    private readonly string? _scratch;
    private readonly Cgroup? _cgroup;
    private readonly Channel<WorkerCellReport> _reports = Channel.CreateUnbounded<WorkerCellReport>();
    private readonly StringBuilder _stderr = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _stdoutReader;
    private readonly Task _stderrReader;
    private readonly Task _watch;
    private long _rawBytes;
    private int _killed;
    private int? _exitCode;
    private string? _limitHit;
    private bool _disposed;

    private WorkerProcess(Process process, string token, WorkerOptions options, string? scratch, Cgroup? cgroup)
    {
        _process = process;
        _token = token;
        _options = options;
        _scratch = scratch;
        _cgroup = cgroup;
        _stdoutReader = Task.Run(ReadStdoutAsync);
        _stderrReader = Task.Run(ReadStderrAsync);
        _watch = Task.Run(WatchAsync);
    }

    /// <summary>The limit that ended the worker ("memory limit: …", "process limit: …", "output limit: …"), or null.</summary>
    public string? LimitHit
    {
        // The kernel may end the worker at a cap between two looks of the watch: its counters say so afterwards.
        get => _limitHit
            ?? (_cgroup?.MemoryCapHit == true ? MemoryMessage() : null)
            ?? (_cgroup?.TasksCapHit == true ? ProcessMessage() : null);
        private set => _limitHit = value;
    }

    /// <summary>The process's exit code, once it has exited.</summary>
    public int? ExitCode => _exitCode ?? (_process.HasExited ? _process.ExitCode : null);

    /// <summary>The first line the process wrote to standard error (what explains a crash, e.g. "Stack overflow."), or "".</summary>
    public string FirstError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            }
        }
    }

    /// <summary>Starts a worker for <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started (the message says which program).</exception>
    public static async Task<WorkerProcess> StartAsync(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + " ";
        var program = typeof(WorkerProcess).Assembly.Location;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        string[] arguments =
        [
            "exec", program, "worker", "--folder", options.Folder,
            "--cell-timeout", options.CellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--output-limit", options.OutputLimitBytes.ToString(CultureInfo.InvariantCulture),
        ];
        var environment = new Dictionary<string, string>
        {
            // Managed allocations fail with OutOfMemoryException before the process reaches the limit the parent watches.
            ["DOTNET_GCHeapHardLimit"] = (options.MemoryLimitBytes / 4 * 3).ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        ProcessStartInfo psi;
        string? scratch = null;
        if (options.Sandboxed)
        {
            scratch = Directory.CreateTempSubdirectory("descent-sandbox-").FullName;
            var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
            environment["DOTNET_ROOT"] = dotnetRoot.TrimEnd('/');
            environment["LANG"] = Environment.GetEnvironmentVariable("LANG") ?? "C.UTF-8";
            foreach (var name in new[] { "NUGET_PACKAGES", "DESCENT_NUGET_CACHE" })
            {
                if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
                {
                    environment[name] = value;
                }
            }

            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            environment.TryAdd("NUGET_PACKAGES", Path.Combine(home, ".nuget", "packages"));
            environment.TryAdd("DESCENT_NUGET_CACHE", Path.Combine(home, ".cache", "descent", "restore"));
            string[] runtime = [dotnetRoot.TrimEnd('/'), Path.GetDirectoryName(program)!, environment["NUGET_PACKAGES"], environment["DESCENT_NUGET_CACHE"], "/opt/nuget/packages"];
            var readOnly = runtime.Concat(options.ReadOnlyPaths).Select(p => Path.GetFullPath(p).TrimEnd('/'))
                .Where(p => File.Exists(p) || Directory.Exists(p)).Distinct().ToArray();
            psi = Sandbox.Wrap(ResolveHost(host), arguments, new SandboxView(Path.GetFullPath(options.Folder).TrimEnd('/'), readOnly), scratch, environment);
        }
        else
        {
            psi = new ProcessStartInfo(host, arguments) { WorkingDirectory = options.Folder, UseShellExecute = false };
            foreach (var (name, value) in environment)
            {
                psi.Environment[name] = value;
            }
        }

        // Where the kernel can cap tasks and memory, the process waits (a shell reading one line) until it is in the group.
        var cgroup = Cgroup.TryCreate(WorkerOptions.TaskCap, options.MemoryLimitBytes + (1L << 30));
        if (cgroup is not null)
        {
            psi = Gated(psi);
        }

        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
            if (cgroup is not null)
            {
                try
                {
                    cgroup.Add(process.Id);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    cgroup.Dispose();
                    cgroup = null;
                }

                await process.StandardInput.WriteLineAsync("go");
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            cgroup?.Dispose();
            if (scratch is not null)
            {
                Directory.Delete(scratch, recursive: true);
            }

            throw new InvalidOperationException($"the worker process could not be started ({psi.FileName}): {e.Message}", e);
        }

        var worker = new WorkerProcess(process, token, options, scratch, cgroup);
        await process.StandardInput.WriteLineAsync(token);
        await process.StandardInput.FlushAsync();
        return worker;
    }

    // The same program behind "sh -c 'read -r _; exec "$@"'": it starts only once the parent writes a line.
    private static ProcessStartInfo Gated(ProcessStartInfo psi)
    {
        var gated = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = psi.WorkingDirectory };
        foreach (var item in new[] { "-c", "read -r _ && exec \"$@\"", "sh", psi.FileName }.Concat(psi.ArgumentList))
        {
            gated.ArgumentList.Add(item);
        }

        foreach (var (name, value) in psi.Environment)
        {
            gated.Environment[name] = value;
        }

        return gated;
    }

    /// <summary>
    /// Sends cell <paramref name="cell"/> and waits for its report. Null when the worker ended first (it exited, a limit
    /// was hit — see <see cref="LimitHit"/> — or <paramref name="deadline"/> passed, after which the worker is ended).
    /// </summary>
    public async Task<WorkerCellReport?> RunCellAsync(int cell, string source, TimeSpan deadline, CancellationToken cancellationToken)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync(WorkerProtocol.CellLine(cell, source).AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            // The process has ended and closed its input; what it reported is still read below.
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(deadline);
        try
        {
            while (await _reports.Reader.WaitToReadAsync(limit.Token))
            {
                while (_reports.Reader.TryRead(out var report))
                {
                    if (report.Cell == cell)
                    {
                        return report;
                    }
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            Kill();
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>Tells the worker no cell follows and waits (at most <paramref name="grace"/>) for it to exit; then ends it.</summary>
    public async Task FinishAsync(TimeSpan grace)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync(WorkerProtocol.EndLine());
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // A thread the notebook started keeps the process alive.
        }

        Kill();
    }

    /// <summary>Ends the process and everything it started, and removes the sandbox's scratch directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        _exitCode = _process.ExitCode;
        await _stop.CancelAsync();
        // A process that escaped the tree could hold the pipes open: do not wait for the readers forever.
        await Task.WhenAny(Task.WhenAll(_stdoutReader, _stderrReader, _watch), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        _process.Dispose();
        _stop.Dispose();
        _cgroup?.Dispose();
        if (_scratch is not null)
        {
            try
            {
                Directory.Delete(_scratch, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the system's temp cleaner; it holds only what the notebook wrote.
            }
        }
    }

    private void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 0)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }
    }

    private void EndFor(string limit)
    {
        LimitHit ??= limit;
        Kill();
    }

    private async Task ReadStdoutAsync()
    {
        var stream = _process.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        var tooLong = false;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            CountRaw(read);
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                Append(buffer.AsSpan(start, i - start));
                if (!tooLong)
                {
                    Handle(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
                }

                line.SetLength(0);
                tooLong = false;
                start = i + 1;
            }

            Append(buffer.AsSpan(start, read - start));
        }

        _reports.Writer.TryComplete();

        void Append(ReadOnlySpan<byte> bytes)
        {
            if (line.Length + bytes.Length > WorkerProtocol.MaxLineLength)
            {
                tooLong = true;
                line.SetLength(0);
            }
            else if (!tooLong)
            {
                line.Write(bytes);
            }
        }
    }

    private void Handle(string line)
    {
        if (!line.StartsWith(_token, StringComparison.Ordinal))
        {
            return;
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(line[_token.Length..]);
        }
        catch (JsonException)
        {
            return;
        }

        if (json is not null && WorkerProtocol.ParseReport(json) is { } report)
        {
            _reports.Writer.TryWrite(report);
        }
    }

    private async Task ReadStderrAsync()
    {
        var reader = _process.StandardError;
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            CountRaw(read);
            lock (_stderr)
            {
                if (_stderr.Length < StderrKept)
                {
                    _stderr.Append(buffer, 0, Math.Min(read, StderrKept - _stderr.Length));
                }
            }
        }
    }

    private void CountRaw(int bytes)
    {
        // The cells' captured output is limited inside the worker; this limits what bypasses the capture.
        if (Interlocked.Add(ref _rawBytes, bytes) > _options.OutputLimitBytes + (1 << 20))
        {
            EndFor($"output limit: the submission wrote more than {Mib(_options.OutputLimitBytes)} to its standard output and error.");
        }
    }

    private async Task WatchAsync()
    {
        if (!OperatingSystem.IsLinux())
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

    // bubblewrap executes the program by path inside the sandbox, where PATH lookups of the parent do not apply.
    private static string ResolveHost(string host) =>
        Path.IsPathRooted(host) ? host
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, host)).FirstOrDefault(File.Exists) is { } found
                ? new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found
                : host;
}
