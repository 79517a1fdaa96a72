using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Intelligence;
using NetMQ.Sockets;

namespace Descent.Kernel;

/// <summary>
/// The Jupyter kernel's request handling: shell and control requests answered, cells run, outputs published. Every
/// cell runs in the same <see cref="IExecutionSession"/> engine the <c>run</c> command and the tests use; the sockets
/// are <see cref="KernelChannels"/>, the output mapping <see cref="OutputMessages"/>.
/// </summary>
internal sealed class KernelServer : IDisposable
{
    private static readonly JsonObject LanguageInfo = new()
    {
        ["name"] = "C#",
        ["version"] = "13.0",
        ["mimetype"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["pygments_lexer"] = "csharp",
        ["codemirror_mode"] = "text/x-csharp",
    };

    // Shown in the front end's Help menu: the references a course cell is written against.
    private static readonly JsonArray HelpLinks =
    [
        new JsonObject { ["text"] = "C# language reference", ["url"] = "https://learn.microsoft.com/dotnet/csharp/" },
        new JsonObject { ["text"] = "Plotly.NET charts", ["url"] = "https://plotly.net/" },
    ];

    private readonly KernelChannels _channels;
    private readonly SupervisorLink? _supervisor;
    private readonly CodeIntelligence _intelligence = new();
    private readonly object _cellGate = new();
    private readonly TextWriter _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IExecutionSession _session;
    private CancellationTokenSource? _runningCell;
    private int _executionCount;

    /// <summary>Binds the connection file's ports and starts a session; <paramref name="supervisor"/> (if any) hears which cell runs.</summary>
    public KernelServer(ConnectionInfo connection, Func<IExecutionSession> newSession, TextWriter log, SupervisorLink? supervisor = null)
    {
        _log = log;
        _supervisor = supervisor;
        _session = newSession();
        _channels = new KernelChannels(connection, log);
    }

    /// <summary>Serves until a shutdown request without restart.</summary>
    public void Run()
    {
        var threads = new[]
        {
            new Thread(() => Serve(_channels.Control, isControl: true)) { IsBackground = true, Name = "control" },
            new Thread(() => _channels.Heartbeat(_stopping.Token)) { IsBackground = true, Name = "heartbeat" },
        };
        foreach (var t in threads)
        {
            t.Start();
        }

        _channels.Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        Serve(_channels.Shell, isControl: false);
        foreach (var t in threads)
        {
            t.Join(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Interrupts the running cell (SIGINT or interrupt_request).</summary>
    public void Interrupt()
    {
        lock (_cellGate)
        {
            _runningCell?.Cancel();
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _channels.Dispose();
        _stopping.Dispose();
    }

    private void Serve(RouterSocket socket, bool isControl)
    {
        while (!_stopping.IsCancellationRequested)
        {
            if (_channels.Receive(socket, TimeSpan.FromMilliseconds(200)) is not { } message)
            {
                continue;
            }

            try
            {
                Handle(socket, message, isControl);
            }
            catch (Exception e)
            {
                _log.WriteLine($"descent-kernel: {message.Type} failed: {e}");
            }
        }
    }

    private void Handle(RouterSocket socket, JupyterMessage message, bool isControl)
    {
        _channels.Publish("status", new JsonObject { ["execution_state"] = "busy" }, message);
        try
        {
            switch (message.Type)
            {
                case "kernel_info_request":
                    _channels.Reply(socket, message, "kernel_info_reply", new JsonObject
                    {
                        ["status"] = "ok",
                        ["protocol_version"] = "5.3",
                        ["implementation"] = "descent",
                        ["implementation_version"] = typeof(KernelServer).Assembly.GetName().Version?.ToString() ?? "1.0",
                        ["language_info"] = LanguageInfo.DeepClone(),
                        ["banner"] = "Descent C# kernel (Roslyn scripting; the course's own engine)",
                        ["help_links"] = HelpLinks.DeepClone(),
                    });
                    break;
                case "execute_request":
                    Execute(socket, message);
                    break;
                case "complete_request":
                    Complete(socket, message);
                    break;
                case "inspect_request":
                    Inspect(socket, message);
                    break;
                case "is_complete_request":
                    var code = (string?)message.Content["code"] ?? string.Empty;
                    _channels.Reply(socket, message, "is_complete_reply", new JsonObject
                    {
                        ["status"] = _session.IsComplete(code) ? "complete" : "incomplete",
                        ["indent"] = string.Empty,
                    });
                    break;
                case "interrupt_request":
                    Interrupt();
                    _channels.Reply(socket, message, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    // Jupyter's manager restarts a kernel by starting a new process, so the kernel always exits;
                    // "restart" only tells it a new one will follow.
                    var restart = message.Content["restart"]?.GetValue<bool>() ?? false;
                    Interrupt();
                    _channels.Reply(socket, message, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                    _stopping.Cancel();
                    break;
                case "comm_info_request":
                    _channels.Reply(socket, message, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                    break;
                case "history_request":
                    _channels.Reply(socket, message, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                    break;
                default:
                    _log.WriteLine($"descent-kernel: ignoring unknown {(isControl ? "control" : "shell")} message '{message.Type}'.");
                    break;
            }
        }
        finally
        {
            _channels.Publish("status", new JsonObject { ["execution_state"] = "idle" }, message);
        }
    }

    private void Execute(RouterSocket socket, JupyterMessage message)
    {
        var code = (string?)message.Content["code"] ?? string.Empty;
        var silent = message.Content["silent"]?.GetValue<bool>() ?? false;
        var storeHistory = !silent && (message.Content["store_history"]?.GetValue<bool>() ?? true);
        var stopOnError = message.Content["stop_on_error"]?.GetValue<bool>() ?? true;
        var allowStdin = message.Content["allow_stdin"]?.GetValue<bool>() ?? false;
        if (storeHistory)
        {
            _executionCount++;
        }

        var count = _executionCount;
        if (!silent)
        {
            _channels.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, message);
        }

        using var cell = new CancellationTokenSource();
        lock (_cellGate)
        {
            _runningCell = cell;
        }

        // Console.ReadLine() in the cell asks this client for input when it allows stdin; otherwise it fails clearly.
        _session.Input = allowStdin ? (request, token) => _channels.AskForInput(message, request, token, _stopping.Token) : null;
        // If the cell ends the process (stack overflow, Environment.Exit), the supervisor answers this request.
        _supervisor?.CellStarted(message, count, _channels.Wire.Session);
        SubmissionResult result;
        try
        {
            result = _session.SubmitAsync(code, output => { if (!silent) { Publish(output, count, message); } }, cell.Token)
                .GetAwaiter().GetResult();
        }
        finally
        {
            _supervisor?.CellEnded();
            lock (_cellGate)
            {
                _runningCell = null;
            }
        }

        if (result.Error is { } error)
        {
            // Requests already queued when the cell failed are aborted, as Jupyter's "run all" expects.
            var queued = stopOnError ? _channels.DrainQueued(socket) : [];
            _channels.Reply(socket, message, "execute_reply", OutputMessages.ErrorReply(error, count));
            foreach (var pending in queued)
            {
                if (pending.Type == "execute_request")
                {
                    _channels.Publish("status", new JsonObject { ["execution_state"] = "busy" }, pending);
                    _channels.Reply(socket, pending, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
                    _channels.Publish("status", new JsonObject { ["execution_state"] = "idle" }, pending);
                }
                else
                {
                    Handle(socket, pending, isControl: false);
                }
            }

            return;
        }

        _channels.Reply(socket, message, "execute_reply", new JsonObject
        {
            ["status"] = "ok",
            ["execution_count"] = count,
            ["payload"] = new JsonArray(),
            ["user_expressions"] = new JsonObject(),
        });
    }

    private void Publish(CellOutput output, int count, JupyterMessage parent)
    {
        var (type, content) = OutputMessages.For(output, count);
        _channels.Publish(type, content, parent);
    }

    private void Complete(RouterSocket socket, JupyterMessage message)
    {
        var code = (string?)message.Content["code"] ?? string.Empty;
        var cursor = message.Content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var result = _intelligence.CompleteAsync(_session.Snapshot, code, cursor, CancellationToken.None).GetAwaiter().GetResult();
        _channels.Reply(socket, message, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(result.Matches.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["cursor_start"] = result.CursorStart,
            ["cursor_end"] = result.CursorEnd,
            ["metadata"] = new JsonObject(),
        });
    }

    private void Inspect(RouterSocket socket, JupyterMessage message)
    {
        var code = (string?)message.Content["code"] ?? string.Empty;
        var cursor = message.Content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var result = _intelligence.InspectAsync(_session.Snapshot, code, cursor, CancellationToken.None).GetAwaiter().GetResult();
        var data = new JsonObject();
        if (result is not null)
        {
            data["text/plain"] = result.Documentation is null ? result.Signature : $"{result.Signature}\n\n{result.Documentation}";
        }

        _channels.Reply(socket, message, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = result is not null,
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        });
    }
}
