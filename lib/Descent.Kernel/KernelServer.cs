using System.Text.Json.Nodes;
using Descent.Notebooks.Execution;
using Descent.Notebooks.Intelligence;
using NetMQ;
using NetMQ.Sockets;

namespace Descent.Kernel;

/// <summary>
/// The Jupyter kernel: shell and control requests over ZeroMQ, outputs on iopub, heartbeat echo. Every cell runs in
/// the same <see cref="IExecutionSession"/> engine the <c>run</c> command and the tests use.
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

    private readonly ConnectionInfo _connection;
    private readonly Wire _wire;
    private readonly CodeIntelligence _intelligence = new();
    private readonly object _iopubGate = new();
    private readonly object _cellGate = new();
    private readonly TextWriter _log;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly IExecutionSession _session;
    private CancellationTokenSource? _runningCell;
    private int _executionCount;

    public KernelServer(ConnectionInfo connection, Func<IExecutionSession> newSession, TextWriter log)
    {
        _connection = connection;
        _log = log;
        _wire = new Wire(connection.Key, Guid.NewGuid().ToString("N"));
        _session = newSession();
        Bind(_shell, "shell", connection.ShellPort);
        Bind(_control, "control", connection.ControlPort);
        Bind(_stdin, "stdin", connection.StdinPort);
        Bind(_iopub, "iopub", connection.IopubPort);
        Bind(_heartbeat, "heartbeat", connection.HbPort);
    }

    // A restart reuses the previous process's ports, which the system may not have released yet: wait a little.
    private void Bind(NetMQSocket socket, string channel, int port)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                socket.Bind(_connection.Address(port));
                return;
            }
            catch (AddressAlreadyInUseException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(100);
            }
            catch (AddressAlreadyInUseException e)
            {
                throw new InvalidOperationException($"the {channel} port {port} from the connection file is still in use after 10 s.", e);
            }
        }
    }

    /// <summary>Serves until a shutdown request without restart.</summary>
    public void Run()
    {
        var threads = new[]
        {
            new Thread(() => Serve(_control, isControl: true)) { IsBackground = true, Name = "control" },
            new Thread(Heartbeat) { IsBackground = true, Name = "heartbeat" },
        };
        foreach (var t in threads)
        {
            t.Start();
        }

        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        Serve(_shell, isControl: false);
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
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
        {
            socket.Dispose();
        }
    }

    private void Heartbeat()
    {
        while (!_stopping.IsCancellationRequested)
        {
            if (_heartbeat.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(200), out var ping))
            {
                _heartbeat.SendFrame(ping);
            }
        }
    }

    private void Serve(RouterSocket socket, bool isControl)
    {
        while (!_stopping.IsCancellationRequested)
        {
            List<byte[]> frames = [];
            if (!socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames!))
            {
                continue;
            }

            JupyterMessage message;
            try
            {
                message = _wire.Parse(frames);
            }
            catch (WireException e)
            {
                _log.WriteLine($"descent-kernel: {e.Message}");
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
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, message);
        try
        {
            switch (message.Type)
            {
                case "kernel_info_request":
                    Reply(socket, message, "kernel_info_reply", new JsonObject
                    {
                        ["status"] = "ok",
                        ["protocol_version"] = "5.3",
                        ["implementation"] = "descent",
                        ["implementation_version"] = typeof(KernelServer).Assembly.GetName().Version?.ToString() ?? "1.0",
                        ["language_info"] = LanguageInfo.DeepClone(),
                        ["banner"] = "Descent C# kernel (Roslyn scripting; the course's own engine)",
                        ["help_links"] = new JsonArray(new JsonObject { ["text"] = "Descent course", ["url"] = "https://github.com/" }),
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
                    Reply(socket, message, "is_complete_reply", new JsonObject
                    {
                        ["status"] = _session.IsComplete(code) ? "complete" : "incomplete",
                        ["indent"] = string.Empty,
                    });
                    break;
                case "interrupt_request":
                    Interrupt();
                    Reply(socket, message, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    // Jupyter's manager restarts a kernel by starting a new process, so the kernel always exits;
                    // "restart" only tells it a new one will follow.
                    var restart = message.Content["restart"]?.GetValue<bool>() ?? false;
                    Interrupt();
                    Reply(socket, message, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                    _stopping.Cancel();
                    break;
                case "comm_info_request":
                    Reply(socket, message, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                    break;
                case "history_request":
                    Reply(socket, message, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() });
                    break;
                default:
                    _log.WriteLine($"descent-kernel: ignoring unknown {(isControl ? "control" : "shell")} message '{message.Type}'.");
                    break;
            }
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, message);
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
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, message);
        }

        using var cell = new CancellationTokenSource();
        lock (_cellGate)
        {
            _runningCell = cell;
        }

        // Console.ReadLine() in the cell asks this client for input when it allows stdin; otherwise it fails clearly.
        _session.Input = allowStdin ? (request, token) => AskForInput(message, request, token) : null;
        SubmissionResult result;
        try
        {
            result = _session.SubmitAsync(code, output => { if (!silent) { PublishOutput(output, count, message); } }, cell.Token)
                .GetAwaiter().GetResult();
        }
        finally
        {
            lock (_cellGate)
            {
                _runningCell = null;
            }
        }

        if (result.Error is { } error)
        {
            // Requests already queued when the cell failed are aborted, as Jupyter's "run all" expects.
            var queued = stopOnError ? DrainQueued(socket) : [];
            var reply = ErrorContent(error);
            reply["status"] = "error";
            reply["execution_count"] = count;
            Reply(socket, message, "execute_reply", reply);
            foreach (var pending in queued)
            {
                if (pending.Type == "execute_request")
                {
                    Publish("status", new JsonObject { ["execution_state"] = "busy" }, pending);
                    Reply(socket, pending, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
                    Publish("status", new JsonObject { ["execution_state"] = "idle" }, pending);
                }
                else
                {
                    Handle(socket, pending, isControl: false);
                }
            }

            return;
        }

        Reply(socket, message, "execute_reply", new JsonObject
        {
            ["status"] = "ok",
            ["execution_count"] = count,
            ["payload"] = new JsonArray(),
            ["user_expressions"] = new JsonObject(),
        });
    }

    /// <summary>
    /// Sends an <c>input_request</c> on the stdin channel to the client of <paramref name="parent"/> and waits for its
    /// <c>input_reply</c> (called on the cell's thread; only the running cell uses the stdin socket).
    /// </summary>
    private string? AskForInput(JupyterMessage parent, InputRequest request, CancellationToken cancellationToken)
    {
        var message = new NetMQMessage();
        foreach (var frame in _wire.Frames("input_request", new JsonObject { ["prompt"] = request.Prompt, ["password"] = request.Password }, parent))
        {
            message.Append(frame);
        }

        _stdin.SendMultipartMessage(message);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _stopping.Token.ThrowIfCancellationRequested();
            List<byte[]> frames = [];
            if (!_stdin.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(100), ref frames!))
            {
                continue;
            }

            try
            {
                var reply = _wire.Parse(frames);
                if (reply.Type == "input_reply")
                {
                    return (string?)reply.Content["value"] ?? string.Empty;
                }

                _log.WriteLine($"descent-kernel: ignoring '{reply.Type}' on the stdin channel.");
            }
            catch (WireException e)
            {
                _log.WriteLine($"descent-kernel: {e.Message}");
            }
        }
    }

    /// <summary>The shell messages that arrived while the failing cell ran (already waiting, no waiting for more).</summary>
    private List<JupyterMessage> DrainQueued(RouterSocket socket)
    {
        var queued = new List<JupyterMessage>();
        List<byte[]> frames = [];
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames!))
        {
            try
            {
                queued.Add(_wire.Parse(frames));
            }
            catch (WireException e)
            {
                _log.WriteLine($"descent-kernel: {e.Message}");
            }

            frames = [];
        }

        return queued;
    }

    private void Complete(RouterSocket socket, JupyterMessage message)
    {
        var code = (string?)message.Content["code"] ?? string.Empty;
        var cursor = message.Content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var result = _intelligence.CompleteAsync(_session.Snapshot, code, cursor, CancellationToken.None).GetAwaiter().GetResult();
        Reply(socket, message, "complete_reply", new JsonObject
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

        Reply(socket, message, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = result is not null,
            ["data"] = data,
            ["metadata"] = new JsonObject(),
        });
    }

    private void PublishOutput(CellOutput output, int count, JupyterMessage parent)
    {
        switch (output)
        {
            case StreamOutput s:
                Publish("stream", new JsonObject { ["name"] = s.Name, ["text"] = s.Text }, parent);
                break;
            case DisplayOutput d:
                Publish("display_data", new JsonObject { ["data"] = Bundle(d.Data), ["metadata"] = new JsonObject(), ["transient"] = new JsonObject() }, parent);
                break;
            case ResultOutput r:
                Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = Bundle(r.Data), ["metadata"] = new JsonObject() }, parent);
                break;
            case ErrorOutput e:
                Publish("error", ErrorContent(e), parent);
                break;
        }
    }

    private static JsonObject ErrorContent(ErrorOutput error)
    {
        var where = error.Line is { } line ? $" (cell line {line})" : string.Empty;
        var traceback = new JsonArray((JsonNode?)JsonValue.Create($"{error.Name}: {error.Value}{where}"));
        foreach (var lineText in error.Traceback.Where(t => t != error.Value))
        {
            traceback.Add(lineText);
        }

        return new JsonObject { ["ename"] = error.Name, ["evalue"] = error.Value + where, ["traceback"] = traceback };
    }

    private static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, content) in data)
        {
            bundle[mime] = content;
        }

        return bundle;
    }

    private void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        var message = new NetMQMessage();
        foreach (var frame in _wire.Frames(type, content, request))
        {
            message.Append(frame);
        }

        socket.SendMultipartMessage(message);
    }

    private void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = new NetMQMessage();
        foreach (var frame in _wire.Frames(type, content, parent, identities: [System.Text.Encoding.UTF8.GetBytes($"kernel.{_wire.Session}.{type}")]))
        {
            message.Append(frame);
        }

        lock (_iopubGate)
        {
            _iopub.SendMultipartMessage(message);
        }
    }
}
