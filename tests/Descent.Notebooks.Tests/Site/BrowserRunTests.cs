using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;
using Descent.Notebooks.Site;
using Descent.Testing;
using Xunit.Abstractions;

namespace Descent.Notebooks.Tests.Site;

/// <summary>
/// The course in a browser tab: `run` builds the site with its in-browser runner; headless Chromium, with the network
/// off, opens chapter pages from a local static server and runs each whole chapter through <c>window.descent.runAll()</c>
/// on .NET WebAssembly. Every cell must run, every number the native run printed must come out the same (to 1e-9
/// relative), every chart must draw, and no script error may occur.
/// </summary>
public sealed partial class BrowserRunTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// The chapters run in the page: 00, 01, 03 and 06 (issue 19), or those DESCENT_BROWSER_CHAPTERS names (comma-separated
    /// file names without .ipynb, or "all"), e.g. to measure every chapter's in-browser time for the README.
    /// </summary>
    public static readonly string[] Chapters = Environment.GetEnvironmentVariable("DESCENT_BROWSER_CHAPTERS") switch
    {
        null or "" => ["00-start-here", "01-gradient-descent", "03-learning-rate-schedules", "06-adam-and-bias-correction"],
        "all" => [.. Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).Cast<string>()],
        var names => names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("descent-browser-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_engine_was_built_with_its_browser_runner()
    {
        var bundle = BrowserBundle.Installed;
        Assert.NotNull(bundle);
        Assert.True(File.Exists(Path.Combine(bundle, "references.zip")), "the framework's reference assemblies are in the bundle");
        Assert.Contains(Directory.GetFiles(Path.Combine(bundle, "_framework")), f => Path.GetFileName(f).StartsWith("Descent.", StringComparison.Ordinal) && f.EndsWith(".wasm.gz", StringComparison.Ordinal));
    }

    [Fact]
    public void A_runnable_page_carries_each_cells_source_and_the_runner()
    {
        var notebook = new ExecutedNotebook().Markdown("# T").Code("var s = \"<b>&\";\ns", ExecutedNotebook.Result(("text/plain", "<b>&")));
        var bundle = Directory.CreateTempSubdirectory("descent-bundle-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(bundle, "descent-worker.js"), "// worker");
            Directory.CreateDirectory(Path.Combine(bundle, "_framework"));
            File.WriteAllText(Path.Combine(bundle, "_framework", "dotnet.js"), "// runtime");
            SiteWriter.Write(_dir, [new SitePage("t", "t.html", notebook.ToJson()) { RunTime = TimeSpan.FromSeconds(2.5), CellTimes = new Dictionary<int, TimeSpan> { [2] = TimeSpan.FromSeconds(1.5) } }], bundle);
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }

        var html = File.ReadAllText(Path.Combine(_dir, "t.html"));
        Assert.Contains("<textarea class=\"cell-editor\" hidden spellcheck=\"false\" aria-label=\"cell 2 source\">var s = &quot;&lt;b&gt;&amp;&quot;;\ns</textarea>", html);
        Assert.Contains("<script src=\"assets/descent-run.js\" data-root=\"\" data-assets=\"assets/\" defer></script>", html);
        Assert.Contains("The build ran it natively in 2.5 s. 1 of its cells took 1 s or more there", html);
        Assert.Contains("<div class=\"heavy-cell\">took 1.5 s natively; in a tab it can take minutes</div>", html);
        Assert.True(File.Exists(Path.Combine(_dir, "run", "descent-worker.js")));
        Assert.True(File.Exists(Path.Combine(_dir, "run", "_framework", "dotnet.js")));
        Assert.True(File.Exists(Path.Combine(_dir, "assets", "descent-run.js")));
        Assert.DoesNotContain("descent-run.js", SiteWriter.RenderPage(new SitePage("t", "t.html", notebook.ToJson())));
    }

    [NeedsPackagesFact(DebianPackages.Chromium)]
    public async Task Chapters_run_in_the_page_and_print_the_native_numbers()
    {
        var notebooks = Chapters.Select(c => Path.Combine(Repo.Notebooks, c + ".ipynb")).ToList();
        var log = new StringWriter();
        Assert.True(RunCommand.Success == await RunCommand.ExecuteAsync(notebooks, _dir, RunCommand.DefaultTimeoutSeconds, log), log.ToString());

        using var server = new StaticSite(_dir);
        await using var browser = await DevToolsBrowser.StartAsync(localPlotlyJs: null);
        var failures = new List<string>();
        foreach (var chapter in Chapters)
        {
            await browser.NavigateAsync($"{server.Url}{chapter}.html");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var ready = await browser.EvaluateAsync("window.descent.ready().then(r => r.startMilliseconds)", TimeSpan.FromMinutes(3));
            string json;
            try
            {
                json = (string)(await browser.EvaluateAsync("window.descent.runAll().then(r => JSON.stringify(r))", TimeSpan.FromMinutes(10)))!;
            }
            catch (TimeoutException)
            {
                failures.Add($"{chapter}: did not finish within 10 minutes in the page");
                output.WriteLine(failures[^1]);
                continue;
            }

            var results = JsonNode.Parse(json)!.AsArray();
            var before = failures.Count;
            var charts = (int)(await browser.EvaluateAsync(
                "Array.from(document.querySelectorAll('.outputs .js-plotly-plot')).filter(p => p.querySelector('.main-svg')).length"))!;
            output.WriteLine($"{chapter}: runtime ready after {(double)ready!:F0} ms, {results.Count} code cells ran in {clock.Elapsed.TotalSeconds:F1} s in the page");

            var native = NotebookDocument.Load(Path.Combine(_dir, chapter + ".ipynb")).Cells.Where(c => c.IsCode).ToArray();
            Assert.Equal(native.Length, results.Count);
            var compared = 0;
            var nativeCharts = 0;
            for (var i = 0; i < native.Length; i++)
            {
                var result = results[i]!;
                var cell = native[i];
                if (!(bool)result["ok"]!)
                {
                    failures.Add($"{chapter} cell {cell.Number}: {(string?)result["error"] ?? "skipped"}");
                    continue;
                }

                var (expected, expectedCharts) = Printed(cell.Json["outputs"]!.AsArray());
                var (actual, actualCharts) = Printed(result["outputs"]!.AsArray());
                nativeCharts += expectedCharts;
                if (expectedCharts != actualCharts)
                {
                    failures.Add($"{chapter} cell {cell.Number}: {expectedCharts} chart(s) natively, {actualCharts} in the page");
                }

                var a = Numbers().Matches(expected).Select(m => m.Value).ToArray();
                var b = Numbers().Matches(actual).Select(m => m.Value).ToArray();
                if (a.Length != b.Length)
                {
                    failures.Add($"{chapter} cell {cell.Number}: {a.Length} numbers natively, {b.Length} in the page:\n{expected}\n---\n{actual}");
                    continue;
                }

                for (var k = 0; k < a.Length; k++)
                {
                    compared++;
                    var x = double.Parse(a[k], CultureInfo.InvariantCulture);
                    var y = double.Parse(b[k], CultureInfo.InvariantCulture);
                    if (a[k] != b[k] && Math.Abs(x - y) > 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y)))
                    {
                        failures.Add($"{chapter} cell {cell.Number}: {a[k]} natively, {b[k]} in the page");
                    }
                }
            }

            if (charts != nativeCharts)
            {
                failures.Add($"{chapter}: {nativeCharts} charts natively, {charts} drawn in the page");
            }

            output.WriteLine($"{chapter}: {compared} numbers compared, {nativeCharts} charts natively, {charts} drawn in the page, {failures.Count - before} differences");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(browser.ScriptErrors);
        Assert.Empty(browser.BlockedRequests);
    }

    [NeedsPackagesFact(DebianPackages.Chromium)]
    public async Task A_cell_reports_its_own_line_and_a_runaway_cell_can_be_stopped()
    {
        var notebook = new ExecutedNotebook()
            .Markdown("# Stop and errors")
            .Code("var x = 41;")
            .Code("var ok = x + 1;\nint y = \"text\";")
            .Code("while (true) { }")
            .Code("x + 1");
        SiteWriter.Write(_dir, [new SitePage("t", "t.html", notebook.ToJson())], BrowserBundle.Installed);
        using var server = new StaticSite(_dir);
        await using var browser = await DevToolsBrowser.StartAsync(localPlotlyJs: null);
        await browser.NavigateAsync(server.Url + "t.html");
        await browser.EvaluateAsync("window.descent.ready()", TimeSpan.FromMinutes(3));

        var first = (await browser.EvaluateAsync("window.descent.runCell(2)", TimeSpan.FromMinutes(1)))!;
        Assert.True((bool)first["ok"]!, first.ToJsonString());
        var error = (string)(await browser.EvaluateAsync("window.descent.runCell(3).then(r => r.error)", TimeSpan.FromMinutes(1)))!;
        Assert.Equal("CompilationError: (2,9): error CS0029: Cannot implicitly convert type 'string' to 'int' (cell line 2)", error);

        // The runaway cell is stopped from the page; the state goes with the worker, and the page says so.
        await browser.EvaluateAsync("window.runaway = window.descent.runCell(4); true");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await browser.EvaluateAsync("window.descent.stop().then(() => true)", TimeSpan.FromMinutes(3));
        var stopped = (await browser.EvaluateAsync("window.runaway", TimeSpan.FromMinutes(1)))!;
        Assert.False((bool)stopped["ok"]!);
        Assert.StartsWith("stopped: the C# state was reset", (string)stopped["error"]!, StringComparison.Ordinal);
        var after = (await browser.EvaluateAsync("window.descent.runCell(5)", TimeSpan.FromMinutes(1)))!;
        Assert.Contains("The name 'x' does not exist in the current context", (string)after["error"]!, StringComparison.Ordinal);
        await browser.EvaluateAsync("window.descent.runCell(2)", TimeSpan.FromMinutes(1));
        var again = (await browser.EvaluateAsync("window.descent.runCell(5)", TimeSpan.FromMinutes(1)))!;
        Assert.True((bool)again["ok"]!, again.ToJsonString());
        Assert.Contains("<pre>42</pre>", (string)(await browser.EvaluateAsync("document.querySelector('#cell-5 .outputs').innerHTML"))!, StringComparison.Ordinal);
        Assert.Empty(browser.ScriptErrors);
    }

    /// <summary>The text a cell printed (streams, plain-text and HTML results without markup) and how many charts it drew.</summary>
    private static (string Text, int Charts) Printed(JsonArray outputs)
    {
        var text = new StringBuilder();
        var charts = 0;
        foreach (var o in outputs.Select(o => o!.AsObject()))
        {
            switch ((string?)o["output_type"])
            {
                case "stream":
                    text.AppendLine(NotebookDocument.JoinSource(o["text"]));
                    break;
                case "execute_result" or "display_data":
                    var data = o["data"]!.AsObject();
                    var html = data["text/html"] is { } h ? NotebookDocument.JoinSource(h) : null;
                    if (html is not null && OfflinePlotly.Uses(html))
                    {
                        charts++;
                    }
                    else if (html is not null)
                    {
                        text.AppendLine(WebUtility.HtmlDecode(Tags().Replace(Styles().Replace(html, " "), " ")));
                    }
                    else
                    {
                        text.AppendLine(NotebookDocument.JoinSource(data["text/plain"]));
                    }

                    break;
                case "error":
                    text.AppendLine((string?)o["evalue"]);
                    break;
            }
        }

        return (text.ToString(), charts);
    }

    [GeneratedRegex(@"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex Styles();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    /// <summary>The site folder over HTTP on a loopback port, as any static host serves it (module workers need HTTP).</summary>
    private sealed class StaticSite : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly string _root;

        public StaticSite(string root)
        {
            _root = Path.GetFullPath(root);
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => Answer(context));
            }
        }

        private void Answer(HttpListenerContext context)
        {
            using var response = context.Response;
            var path = Path.GetFullPath(Path.Combine(_root, Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'))));
            if (!path.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                return;
            }

            response.ContentType = Path.GetExtension(path) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".woff2" => "font/woff2",
                _ => "application/octet-stream",
            };
            var bytes = File.ReadAllBytes(path);
            response.ContentLength64 = bytes.Length;
            try
            {
                response.OutputStream.Write(bytes);
            }
            catch (HttpListenerException)
            {
                // the page went away
            }
        }
    }
}
