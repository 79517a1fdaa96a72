using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;
using NetMQ;
using NetMQ.Sockets;

namespace Descent.Kernel;

/// <summary>
/// The kernel's five ZeroMQ sockets bound to the connection file's ports: receiving and parsing requests, replying,
/// publishing on IOPub, asking the client for input on stdin, and echoing heartbeats.
/// </summary>
internal sealed class KernelChannels : IDisposable
{
    private readonly TextWriter _log;
    private readonly object _iopubGate = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();

    public KernelChannels(ConnectionInfo connection, TextWriter log)
    {
        _log = log;
        Wire = new Wire(connection.Key, connection.SignatureScheme, Guid.NewGuid().ToString("N"));
        Bind(Shell, connection, "shell", connection.ShellPort);
        Bind(Control, connection, "control", connection.ControlPort);
        Bind(Stdin, connection, "stdin", connection.StdinPort);
        Bind(_iopub, connection, "iopub", connection.IopubPort);
        Bind(_heartbeat, connection, "heartbeat", connection.HbPort);
    }

    public Wire Wire { get; }

    public RouterSocket Shell { get; } = new();

    public RouterSocket Control { get; } = new();

    private RouterSocket Stdin { get; } = new();

    /// <summary>
    /// Binds <paramref name="socket"/> to a port of the connection file. A restart reuses the previous process's ports,
    /// which the system may not have released yet: wait a little.
    /// </summary>
    public static void Bind(NetMQSocket socket, ConnectionInfo connection, string channel, int port)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                socket.Bind(connection.Address(port));
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

    /// <summary>Echoes heartbeat pings until <paramref name="stopping"/> is cancelled.</summary>
    public void Heartbeat(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (_heartbeat.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(200), out var ping))
            {
                _heartbeat.SendFrame(ping);
            }
        }
    }

    /// <summary>The next well-formed, correctly signed message on <paramref name="socket"/>, or null after <paramref name="timeout"/>.</summary>
    public JupyterMessage? Receive(RouterSocket socket, TimeSpan timeout)
    {
        List<byte[]> frames = [];
        if (!socket.TryReceiveMultipartBytes(timeout, ref frames!))
        {
            return null;
        }

        try
        {
            return Wire.Parse(frames);
        }
        catch (WireException e)
        {
            _log.WriteLine($"descent-kernel: {e.Message}");
            return null;
        }
    }

    /// <summary>The shell messages that arrived while a failing cell ran (already waiting, no waiting for more).</summary>
    public List<JupyterMessage> DrainQueued(RouterSocket socket)
    {
        var queued = new List<JupyterMessage>();
        List<byte[]> frames = [];
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames!))
        {
            try
            {
                queued.Add(Wire.Parse(frames));
            }
            catch (WireException e)
            {
                _log.WriteLine($"descent-kernel: {e.Message}");
            }

            frames = [];
        }

        return queued;
    }

    public void Reply(RouterSocket socket, JupyterMessage request, string type, JsonObject content) =>
        socket.SendMultipartMessage(Message(Wire.Frames(type, content, request)));

    public void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var message = Message(Wire.Frames(type, content, parent, identities: [Topic(Wire.Session, type)]));
        lock (_iopubGate)
        {
            _iopub.SendMultipartMessage(message);
        }
    }

    /// <summary>The IOPub topic frame of a message of <paramref name="type"/> (clients subscribe to everything).</summary>
    public static byte[] Topic(string session, string type) => System.Text.Encoding.UTF8.GetBytes($"kernel.{session}.{type}");

    public static NetMQMessage Message(IEnumerable<byte[]> frames)
    {
        var message = new NetMQMessage();
        foreach (var frame in frames)
        {
            message.Append(frame);
        }

        return message;
    }

    /// <summary>
    /// Sends an <c>input_request</c> on the stdin channel to the client of <paramref name="parent"/> and waits for its
    /// <c>input_reply</c> (called on the cell's thread; only the running cell uses the stdin socket).
    /// </summary>
    public string? AskForInput(JupyterMessage parent, InputRequest request, CancellationToken cancellationToken, CancellationToken stopping)
    {
        Stdin.SendMultipartMessage(Message(Wire.Frames("input_request", new JsonObject { ["prompt"] = request.Prompt, ["password"] = request.Password }, parent)));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stopping.ThrowIfCancellationRequested();
            if (Receive(Stdin, TimeSpan.FromMilliseconds(100)) is not { } reply)
            {
                continue;
            }

            if (reply.Type == "input_reply")
            {
                return (string?)reply.Content["value"] ?? string.Empty;
            }

            _log.WriteLine($"descent-kernel: ignoring '{reply.Type}' on the stdin channel.");
        }
    }

    public void Dispose()
    {
        foreach (var socket in new NetMQSocket[] { Shell, Control, Stdin, _iopub, _heartbeat })
        {
            socket.Dispose();
        }
    }
}
