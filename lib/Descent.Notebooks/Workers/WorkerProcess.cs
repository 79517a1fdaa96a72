using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Workers;

/// <summary>
/// The parent side of a worker: starts the process (sandboxed or not), sends each cell just before it is to run, reads
/// the token-prefixed reports, and ends the process — with everything it started — when a limit is hit, the time is
/// up, or it is disposed.
/// </summary>
public sealed partial class WorkerProcess : IAsyncDisposable
{
    private const int StderrKept = 16_000;
    private readonly Process _process;
    private readonly string _token;
    private readonly WorkerOptions _options;
    private readonly string? _scratch;
    private readonly Cgroup? _cgroup;
    private readonly Channel<WorkerCellReport> _reports = Channel.CreateUnbounded<WorkerCellReport>();
    private readonly List<CellOutput> _outputs = [];
    private readonly int _maxLineLength;
    private (int Cell, int Code)? _exitCall;
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
    private volatile bool _awaitingSession;

    private WorkerProcess(Process process, string token, WorkerOptions options, string? scratch, Cgroup? cgroup)
    {
        _process = process;
        _token = token;
        _options = options;
        _scratch = scratch;
        _cgroup = cgroup;
        // An output line carries at most one kept output, JSON-escaped (at most six characters per character).
        _maxLineLength = options.SendOutputs ? (int)Math.Min(int.MaxValue / 2, Math.Max(WorkerProtocol.MaxLineLength, (6 * options.OutputLimits.OutputChars) + (1 << 16))) : WorkerProtocol.MaxLineLength;
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
    public string FirstError => ErrorLines().FirstOrDefault() ?? "";

    private string[] ErrorLines()
    {
        lock (_stderr)
        {
            return _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
    }

    /// <summary>Starts a worker for <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started (the message says which program).</exception>
    public static async Task<WorkerProcess> StartAsync(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + " ";
        var (psi, scratch) = WorkerLaunch.Prepare(options);

        // Where the kernel can cap tasks and memory, the process waits (a shell reading one line) until it is in the group.
        var cgroup = options.EnforceLimits ? Cgroup.TryCreate(WorkerOptions.TaskCap, options.MemoryLimitBytes + (1L << 30)) : null;
        if (cgroup is not null)
        {
            psi = WorkerLaunch.Gated(psi);
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

    /// <summary>
    /// Sends cell <paramref name="cell"/> and waits for its report. Null when the worker ended first (it exited, a limit
    /// was hit — see <see cref="LimitHit"/> — or <paramref name="deadline"/> passed, after which the worker is ended).
    /// </summary>
    public async Task<WorkerCellReport?> RunCellAsync(int cell, string source, TimeSpan deadline, CancellationToken cancellationToken)
    {
        lock (_outputs)
        {
            _outputs.Clear();
        }

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

    /// <summary>True once the process has exited (or was ended).</summary>
    public bool HasExited => _disposed || Volatile.Read(ref _killed) == 1 || _process.HasExited;

    /// <summary>
    /// Hands a worker whose notebook ran cleanly (every cell reported, nothing pending) the next notebook: the worker drops
    /// its session and starts a fresh one with <paramref name="folder"/> as its working directory (see
    /// <see cref="WorkerProtocol.SessionLine"/>); what this side kept of the last notebook (outputs, standard error) is
    /// forgotten. Cells sent after it run in the new session. <c>run</c> only: <c>grade</c> never reuses a worker.
    /// </summary>
    /// <returns>False when the worker could not take it (it has ended); start a new one then.</returns>
    public async Task<bool> NewSessionAsync(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (HasExited)
        {
            return false;
        }

        lock (_outputs)
        {
            _outputs.Clear();
        }

        lock (_stderr)
        {
            _stderr.Clear();
        }

        // Until the worker says its new session is ready, outputs are the last notebook's (a thread it left running).
        _awaitingSession = true;

        // A clean notebook left no report unread; should one be there, it must not answer a cell of the next notebook.
        while (_reports.Reader.TryRead(out _))
        {
        }

        Interlocked.Exchange(ref _rawBytes, 0);
        try
        {
            await _process.StandardInput.WriteLineAsync(WorkerProtocol.SessionLine(Path.GetFullPath(folder)));
            await _process.StandardInput.FlushAsync();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The outputs the last cell kept, in order (when <see cref="WorkerOptions.SendOutputs"/>).</summary>
    public IReadOnlyList<CellOutput> TakeOutputs()
    {
        lock (_outputs)
        {
            var taken = _outputs.ToArray();
            _outputs.Clear();
            return taken;
        }
    }

    /// <summary>
    /// Why the worker ended while cell <paramref name="cell"/> ran, in words that name the cell: a limit, a call of
    /// <c>Environment.Exit</c>, a stack overflow, another crash, or a signal. Call it after the worker is disposed.
    /// </summary>
    public string EndCause(int cell) => WorkerEnd.Describe(cell, LimitHit, _exitCall, ErrorLines(), ExitCode);

    /// <summary>Tells the worker no cell follows and waits (at most <paramref name="grace"/>) for it to exit; then ends it.</summary>
    public async Task FinishAsync(TimeSpan grace)
    {
        if (_disposed)
        {
            return;
        }

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

    private async Task ReadStdoutAsync()
    {
        await WorkerProtocol.ReadLinesAsync(_process.StandardOutput.BaseStream, _maxLineLength, CountRaw, Handle);
        _reports.Writer.TryComplete();
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

        if (json is null)
        {
            return;
        }

        if (WorkerProtocol.ParseReport(json) is { } report)
        {
            _reports.Writer.TryWrite(report);
        }
        else if (json["ready"] is not null)
        {
            _awaitingSession = false;
        }
        else if (WorkerProtocol.ParseOutput(json) is { } output && !_awaitingSession)
        {
            lock (_outputs)
            {
                _outputs.Add(output.Output);
            }
        }
        else if (WorkerProtocol.ParseExit(json) is { } exit)
        {
            _exitCall = exit;
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
}
