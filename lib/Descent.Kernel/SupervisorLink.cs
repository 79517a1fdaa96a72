using System.Text;
using System.Text.Json.Nodes;

namespace Descent.Kernel;

/// <summary>
/// The kernel's side of the line to its supervisor (<see cref="KernelSupervisor"/>). The supervisor writes a random
/// token line on the kernel's standard input and keeps that pipe open; the kernel writes lines carrying the token on
/// its standard output (the supervisor forwards every other line): <c>{"cell":{…}}</c> when an execute request starts running (its header, the ROUTER
/// identities it came from, its execution count, the kernel's session), <c>{"idle":true}</c> when it has finished, and
/// <c>{"exit":code}</c> from the process-exit handler (which runs for <c>Environment.Exit</c>, not for a stack overflow
/// or <c>Environment.FailFast</c>). When the supervisor's pipe closes (the supervisor is gone) the kernel exits.
/// </summary>
internal sealed class SupervisorLink
{
    private readonly string _token;
    private readonly Stream _out;
    private readonly object _gate = new();

    private SupervisorLink(string token, Stream output)
    {
        _token = token;
        _out = output;
    }

    /// <summary>Reads the token from standard input and starts watching that pipe; writes go to standard output.</summary>
    public static SupervisorLink Connect()
    {
        var input = Console.OpenStandardInput();
        var token = ReadLine(input);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException("'serve --supervised' expects the supervisor's token line on standard input; run 'start <connection_file>' instead.");
        }

        var link = new SupervisorLink(token.Trim(), Console.OpenStandardOutput());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => link.Write(new JsonObject { ["exit"] = Environment.ExitCode });
        new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                while (input.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            Environment.Exit(1); // the supervisor is gone: nobody would restart or hear this kernel
        })
        { IsBackground = true, Name = "supervisor-pipe" }.Start();
        return link;
    }

    /// <summary>An execute request starts running.</summary>
    public void CellStarted(JupyterMessage request, int executionCount, string session) =>
        Write(new JsonObject
        {
            ["cell"] = new JsonObject
            {
                ["header"] = request.Header.DeepClone(),
                ["identities"] = new JsonArray(request.Identities.Select(i => (JsonNode?)JsonValue.Create(Convert.ToBase64String(i))).ToArray()),
                ["execution_count"] = executionCount,
                ["session"] = session,
            },
        });

    /// <summary>The running execute request has finished (its reply is on its way).</summary>
    public void CellEnded() => Write(new JsonObject { ["idle"] = true });

    private void Write(JsonObject line)
    {
        var bytes = Encoding.UTF8.GetBytes($"{_token} {line.ToJsonString()}\n");
        lock (_gate)
        {
            try
            {
                _out.Write(bytes);
                _out.Flush();
            }
            catch (IOException)
            {
                // The supervisor is gone; the pipe watcher ends the process.
            }
        }
    }

    private static string? ReadLine(Stream input)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = input.ReadByte()) >= 0 && b != '\n')
        {
            if (bytes.Count < 1024)
            {
                bytes.Add((byte)b);
            }
        }

        return b < 0 && bytes.Count == 0 ? null : Encoding.ASCII.GetString([.. bytes]);
    }
}
