// Compiled into every test project that drives a browser (linked from tests/Shared).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Descent.Testing;

/// <summary>
/// Debian's headless Chromium driven over the Chrome DevTools protocol (a WebSocket; no npm, no browser download).
/// The network is off: loopback requests go through, a request for plotly.js from a CDN is answered from the local
/// copy, and every other request fails and is recorded. Uncaught script errors in the page are recorded.
/// </summary>
internal sealed partial class DevToolsBrowser : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly string? _plotlyJsBase64;
    private Task? _receiving;
    private int _nextId;

    private DevToolsBrowser(Process process, string profile, string? localPlotlyJs)
    {
        _process = process;
        _profile = profile;
        _plotlyJsBase64 = localPlotlyJs is null ? null : Convert.ToBase64String(File.ReadAllBytes(localPlotlyJs));
    }

    /// <summary>Uncaught exceptions thrown in the page (Runtime.exceptionThrown), in order.</summary>
    public ConcurrentQueue<string> ScriptErrors { get; } = new();

    /// <summary>Requests that left the machine and were failed (the network is off).</summary>
    public ConcurrentQueue<string> BlockedRequests { get; } = new();

    /// <summary>CDN requests for plotly.js answered with the local copy.</summary>
    public ConcurrentQueue<string> PlotlyRequests { get; } = new();

    /// <summary>Starts Chromium with an empty profile on about:blank.</summary>
    /// <param name="localPlotlyJs">The plotly.js file that answers CDN requests for plotly.js (null: fail them too).</param>
    public static async Task<DevToolsBrowser> StartAsync(string? localPlotlyJs)
    {
        var profile = Directory.CreateTempSubdirectory("descent-devtools-").FullName;
        var psi = new ProcessStartInfo(DebianPackages.ChromiumPath,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", $"--user-data-dir={profile}",
            // Belt and braces: interception answers every request, and anything else would meet a closed local port
            // (loopback bypasses the proxy, as by default).
            "--proxy-server=127.0.0.1:9",
            "--window-size=1400,1000", "--remote-debugging-port=0", "about:blank",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new DevToolsBrowser(process, profile, localPlotlyJs);
        try
        {
            await browser.ConnectAsync();
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }

        return browser;
    }

    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(portFile) || (await File.ReadAllTextAsync(portFile)).Split('\n').Length < 2)
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"chromium did not open its DevTools port (exited: {_process.HasExited}).");
            }

            await Task.Delay(100);
        }

        var port = (await File.ReadAllTextAsync(portFile)).Split('\n')[0].Trim();
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
        _receiving = Task.Run(ReceiveLoop);
        await SendAsync("Runtime.enable");
        await SendAsync("Page.enable");
        await SendAsync("Fetch.enable", new JsonObject { ["patterns"] = new JsonArray(new JsonObject { ["urlPattern"] = "*" }) });
    }

    /// <summary>Sends a DevTools command and returns its result.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await SendRawAsync(message);
        var finished = await Task.WhenAny(reply.Task, Task.Delay(timeout ?? TimeSpan.FromSeconds(60)));
        _pending.TryRemove(id, out _);
        if (finished != reply.Task)
        {
            throw new TimeoutException($"DevTools command {method} got no answer.");
        }

        var answer = await reply.Task;
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException($"DevTools command {method} failed: {error.ToJsonString()}");
        }

        return answer["result"] as JsonObject ?? new JsonObject();
    }

    /// <summary>Evaluates JavaScript in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, TimeSpan? timeout = null)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        }, timeout);
        if (result["exceptionDetails"] is { } details)
        {
            throw new InvalidOperationException($"script failed: {details["exception"]?["description"] ?? details["text"]}\n{expression}");
        }

        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Polls <paramref name="expression"/> until it is true; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForAsync(string expression, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await EvaluateAsync($"!!({expression})") is JsonValue v && v.GetValue<bool>())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>Opens <paramref name="url"/> and waits for the page's load event.</summary>
    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        // Compared without the query: a page may drop it once loaded (Jupyter removes ?token=…).
        var target = JsonValue.Create(url.Split('?')[0])!.ToJsonString();
        if (!await WaitForAsync($"document.readyState === 'complete' && location.href.split('?')[0] === {target}", TimeSpan.FromSeconds(60)))
        {
            var state = await EvaluateAsync("document.readyState + ' ' + location.href");
            throw new TimeoutException($"{url} did not load within 60 s: {state}; blocked: {string.Join(", ", BlockedRequests)}; errors: {string.Join(", ", ScriptErrors)}");
        }
    }

    private async Task SendRawAsync(JsonObject message)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendGate.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } id && _pending.TryGetValue((int)id, out var reply))
                {
                    reply.TrySetResult(json);
                }
                else if (json["method"] is { } method)
                {
                    OnEvent((string)method!, json["params"] as JsonObject ?? new JsonObject());
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // closing
        }
    }

    private void OnEvent(string method, JsonObject parameters)
    {
        switch (method)
        {
            case "Runtime.exceptionThrown":
                var details = parameters["exceptionDetails"]!;
                ScriptErrors.Enqueue($"{details["exception"]?["description"] ?? details["text"]} (at {details["url"]}:{details["lineNumber"]})");
                break;
            case "Fetch.requestPaused":
                _ = AnswerAsync(parameters);
                break;
            case "Page.javascriptDialogOpening":
                // e.g. "leave the page with unsaved changes?" when the test moves on to the next notebook
                _ = SendRawAsync(Command("Page.handleJavaScriptDialog", new JsonObject { ["accept"] = true }));
                break;
        }
    }

    private async Task AnswerAsync(JsonObject parameters)
    {
        var requestId = (string)parameters["requestId"]!;
        var url = (string)parameters["request"]!["url"]!;
        var uri = new Uri(url);
        JsonObject message;
        if (uri.IsLoopback || uri.Scheme is "file" or "data" or "blob")
        {
            message = Command("Fetch.continueRequest", new JsonObject { ["requestId"] = requestId });
        }
        else if (_plotlyJsBase64 is not null && PlotlyCdn().IsMatch(url))
        {
            PlotlyRequests.Enqueue(url);
            message = Command("Fetch.fulfillRequest", new JsonObject
            {
                ["requestId"] = requestId,
                ["responseCode"] = 200,
                ["responseHeaders"] = new JsonArray(
                    new JsonObject { ["name"] = "Content-Type", ["value"] = "application/javascript; charset=utf-8" },
                    new JsonObject { ["name"] = "Access-Control-Allow-Origin", ["value"] = "*" }),
                ["body"] = _plotlyJsBase64,
            });
        }
        else
        {
            BlockedRequests.Enqueue(url);
            message = Command("Fetch.failRequest", new JsonObject { ["requestId"] = requestId, ["errorReason"] = "InternetDisconnected" });
        }

        try
        {
            await SendRawAsync(message);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // the browser is closing
        }
    }

    private JsonObject Command(string method, JsonObject parameters) =>
        new() { ["id"] = Interlocked.Increment(ref _nextId), ["method"] = method, ["params"] = parameters };

    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // already gone
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        _process.Dispose();
        _socket.Dispose();
        if (_receiving is not null)
        {
            await _receiving.ContinueWith(_ => { });
        }

        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be writing its profile while it exits
        }
    }

    /// <summary>plotly.js on the CDNs the course's HTML (and Plotly.NET's) may name.</summary>
    [GeneratedRegex(@"^https?://(?:cdn\.plot\.ly|cdn\.jsdelivr\.net/npm|unpkg\.com)/plotly", RegexOptions.IgnoreCase)]
    private static partial Regex PlotlyCdn();
}
