using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Descent.Kernel;

/// <summary>
/// What the kernelspec starts (<c>start &lt;connection_file&gt;</c>): a small process that runs the real kernel as its child
/// (<c>serve &lt;connection_file&gt; --supervised</c>), forwards its output and learns from it which execute request is
/// running (<see cref="SupervisorLink"/>). A cell can end the kernel process in ways no handler in it survives (a stack
/// overflow, <c>Environment.FailFast</c>) or by <c>Environment.Exit</c>; when the child ends during a cell, the supervisor
/// tells the front end why, on that cell (<see cref="DeathNotice"/>), and exits non-zero so the front end restarts it.
/// </summary>
internal static class KernelSupervisor
{
    private const int MaxLine = 1 << 20;
    private const int KeptStderrLines = 40;

    /// <summary>Runs the kernel as a child until it ends; its exit status, or non-zero after a cell ended it.</summary>
    /// <param name="connectionFile">The connection file Jupyter wrote.</param>
    /// <param name="log">Where the supervisor's own lines go (asked for only when needed: starting the child comes first).</param>
    public static int Run(string connectionFile, Func<TextWriter> log)
    {
        if (!File.Exists(connectionFile))
        {
            throw new FileNotFoundException($"connection file '{connectionFile}' does not exist.", connectionFile);
        }

        var token = Guid.NewGuid().ToString("N"); // random (a cell cannot guess it), cheaper to start than RandomNumberGenerator
        var state = new ChildState();
        using var child = Process.Start(ChildStart(connectionFile)) ?? throw new InvalidOperationException("the kernel process did not start.");
        // Interrupts are messages (interrupt_mode "message"); a SIGINT to the process group reaches the kernel itself.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        child.StandardInput.WriteLine(token);
        child.StandardInput.Flush();
        var stdout = Pump(child.StandardOutput.BaseStream, Console.OpenStandardOutput(), line => state.OnStdout(line, token));
        var stderr = Pump(child.StandardError.BaseStream, Console.OpenStandardError(), state.OnStderr);
        child.WaitForExit();
        // A process the cell started may hold the pipes open: read what is there, do not wait for it.
        stdout.Join(TimeSpan.FromSeconds(1));
        stderr.Join(TimeSpan.FromSeconds(1));
        var status = child.ExitCode;
        if (state.Running() is not { } cell)
        {
            return status;
        }

        var error = KernelDeath.Describe(cell.ExecutionCount, state.ExitCalledWith, status, state.StderrSinceCellStarted());
        log().WriteLine($"descent-kernel: {error.Value}");
        try
        {
            DeathNotice.Send(ConnectionInfo.Load(connectionFile), cell, error, log());
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or NetMQ.NetMQException)
        {
            log().WriteLine($"descent-kernel: could not tell the front end: {e.Message}");
        }

        return status == 0 ? 1 : status;
    }

    private static ProcessStartInfo ChildStart(string connectionFile)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the kernel's own executable is unknown.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(KernelSupervisor).Assembly.Location);
        }

        foreach (var arg in new[] { "serve", connectionFile, "--supervised" })
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/> on a thread, handing each line (at most 1 MB) to <paramref name="onLine"/> first; a line it takes is not copied.</summary>
    private static Thread Pump(Stream from, Stream to, Func<string, bool> onLine)
    {
        var thread = new Thread(() =>
        {
            var buffer = new byte[64 * 1024];
            var line = new MemoryStream();
            try
            {
                int read;
                while ((read = from.Read(buffer)) > 0)
                {
                    for (var start = 0; start < read;)
                    {
                        var end = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                        var stop = end < 0 ? read : end + 1;
                        line.Write(buffer, start, stop - start);
                        start = stop;
                        if (end >= 0 || line.Length >= MaxLine)
                        {
                            Flush(line, to, onLine);
                        }
                    }
                }

                Flush(line, to, onLine);
            }
            catch (IOException)
            {
            }
        })
        { IsBackground = true, Name = "kernel-pipe" };
        thread.Start();
        return thread;
    }

    private static void Flush(MemoryStream line, Stream to, Func<string, bool> onLine)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (!onLine(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\n', '\r')))
        {
            to.Write(line.GetBuffer(), 0, (int)line.Length);
            to.Flush();
        }

        line.SetLength(0);
    }

    /// <summary>What the kernel process said so far: the running cell, an exit code from its exit handler, recent standard error.</summary>
    private sealed class ChildState
    {
        private readonly object _gate = new();
        private readonly List<string> _stderr = [];
        private RunningCell? _running;

        public int? ExitCalledWith { get; private set; }

        public RunningCell? Running()
        {
            lock (_gate)
            {
                return _running;
            }
        }

        public List<string> StderrSinceCellStarted()
        {
            lock (_gate)
            {
                return [.. _stderr];
            }
        }

        public bool OnStdout(string line, string token)
        {
            // The token may follow a partial line a cell wrote to the raw standard output without a newline.
            var at = line.IndexOf(token + " ", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            JsonNode? json;
            try
            {
                json = JsonNode.Parse(line[(at + token.Length + 1)..]);
            }
            catch (JsonException)
            {
                return true;
            }

            lock (_gate)
            {
                if (json?["cell"] is { } cell)
                {
                    _running = RunningCell.Parse(cell);
                    _stderr.Clear();
                    ExitCalledWith = null;
                }
                else if (json?["idle"] is not null)
                {
                    _running = null;
                }
                else if (json?["exit"] is JsonValue exit && exit.TryGetValue<int>(out var code))
                {
                    ExitCalledWith = code;
                }
            }

            return true;
        }

        public bool OnStderr(string line)
        {
            lock (_gate)
            {
                if (_running is not null && _stderr.Count < KeptStderrLines)
                {
                    _stderr.Add(line.Length > 500 ? line[..500] : line);
                }
            }

            return false; // always forwarded
        }
    }
}
