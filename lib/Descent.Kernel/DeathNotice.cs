using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;
using NetMQ;
using NetMQ.Sockets;

namespace Descent.Kernel;

/// <summary>
/// Tells the front end, after the kernel process died during a cell, why: binds the dead kernel's IOPub and shell ports,
/// publishes an <c>error</c> and <c>status: idle</c> with the cell's request as parent, answers the request with an
/// <c>execute_reply</c> of status error, all signed with the connection file's key and scheme.
/// </summary>
internal static class DeathNotice
{
    /// <summary>How long to wait for the front end's sockets to reconnect (ZeroMQ retries every 100 ms by default).</summary>
    private static readonly TimeSpan ReconnectWait = TimeSpan.FromSeconds(3);

    public static void Send(ConnectionInfo connection, RunningCell cell, ErrorOutput error, TextWriter log)
    {
        var wire = new Wire(connection.Key, connection.SignatureScheme, cell.Session);
        var parent = new JupyterMessage(cell.Identities, cell.Header, new JsonObject(), new JsonObject(), new JsonObject(), []);
        try
        {
            using var iopub = new XPublisherSocket();
            using var shell = new RouterSocket();
            iopub.Options.XPubVerbose = true;
            iopub.Options.Linger = TimeSpan.FromSeconds(1);
            shell.Options.RouterMandatory = true;
            shell.Options.Linger = TimeSpan.FromSeconds(1);
            KernelChannels.Bind(iopub, connection, "iopub", connection.IopubPort);
            KernelChannels.Bind(shell, connection, "shell", connection.ShellPort);
            var clock = Stopwatch.StartNew();

            // A message published before a subscriber has (re)connected is dropped: wait for the first subscription,
            // then a moment for the others, which reconnect on the same schedule.
            var subscribed = false;
            while (!subscribed && clock.Elapsed < ReconnectWait)
            {
                subscribed = iopub.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(50), out var frame) && frame is [1, ..];
            }

            var settle = Stopwatch.StartNew();
            while (subscribed && settle.Elapsed < TimeSpan.FromMilliseconds(200))
            {
                iopub.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(50), out _);
            }

            Publish(iopub, wire, "error", OutputMessages.Error(error), parent);
            Publish(iopub, wire, "status", new JsonObject { ["execution_state"] = "idle" }, parent);

            // The reply goes to the request's client by its identity (Jupyter clients set it to their session), once
            // that client's shell socket has reconnected: until then a mandatory ROUTER refuses to send.
            var reply = KernelChannels.Message(wire.Frames("execute_reply", OutputMessages.ErrorReply(error, cell.ExecutionCount), parent));
            var sent = false;
            while (!sent && clock.Elapsed < ReconnectWait + TimeSpan.FromSeconds(1))
            {
                try
                {
                    sent = shell.TrySendMultipartMessage(reply);
                }
                catch (HostUnreachableException)
                {
                }

                if (!sent)
                {
                    Thread.Sleep(50);
                }
            }

            if (!subscribed || !sent)
            {
                log.WriteLine($"descent-kernel: {(subscribed ? string.Empty : "no IOPub subscriber reconnected; ")}{(sent ? string.Empty : "the request's client did not reconnect; ")}the notice may not have arrived.");
            }
        }
        finally
        {
            NetMQConfig.Cleanup(block: true);
        }
    }

    private static void Publish(XPublisherSocket iopub, Wire wire, string type, JsonObject content, JupyterMessage parent) =>
        iopub.SendMultipartMessage(KernelChannels.Message(wire.Frames(type, content, parent, identities: [KernelChannels.Topic(wire.Session, type)])));
}
