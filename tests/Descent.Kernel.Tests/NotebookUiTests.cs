using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Testing;
using Xunit.Abstractions;

namespace Descent.Kernel.Tests;

/// <summary>
/// The course as a student meets it: classic Notebook 6 in a browser. Each chapter is opened in the UI, which picks
/// C# (Descent) from the notebook's metadata, and run with Run All; then every code cell ran, none has an error
/// output, every chart (Plotly.NET charts and the library's animations) drew as a plotly figure, and the page had no
/// uncaught script error. The network is off; the CDN's plotly.js is answered from the local copy.
/// </summary>
[Collection(NotebookUiCollection.Name)]
public sealed class NotebookUiTests(NotebookUi ui, ITestOutputHelper output)
{
    /// <summary>Every chapter; DESCENT_UI_CHAPTERS=01,04,10 picks some by number prefix (a quicker local run).</summary>
    public static TheoryData<string> Chapters()
    {
        var data = new TheoryData<string>();
        var folder = Path.Combine(JupyterClients.RepoRoot, "notebooks");
        var only = Environment.GetEnvironmentVariable("DESCENT_UI_CHAPTERS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var path in Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal)
                     .Where(p => only is not { Length: > 0 } || only.Any(prefix => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal))))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [NeedsPackagesTheory(DebianPackages.Chromium, DebianPackages.JupyterNotebook, DebianPackages.JupyterClient)]
    [MemberData(nameof(Chapters))]
    public async Task Chapter_runs_all_in_the_notebook_UI_with_every_chart_drawn_and_no_script_error(string notebook)
    {
        var clock = Stopwatch.StartNew();
        var browser = ui.Browser;
        await OpenAsync(notebook);
        var errorsBefore = browser.ScriptErrors.Count;

        await browser.EvaluateAsync("Jupyter.notebook.execute_all_cells(); true");
        var finished = await browser.WaitForAsync(
            "(function () { var cells = Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });" +
            " var done = cells.every(function (c) { return typeof c.input_prompt_number === 'number'; });" +
            " var failed = cells.some(function (c) { return c.output_area.outputs.some(function (o) { return o.output_type === 'error'; }); });" +
            " return (done || failed) && !Jupyter.notebook.kernel_busy; })()",
            TimeSpan.FromMinutes(4));
        var ran = clock.Elapsed;

        // Charts draw asynchronously (plotly.js through require.js): wait until every chart in an output has drawn.
        var cells = await CellReportAsync();
        var expectedCharts = cells.Sum(c => (int)c["expected"]!);
        if (finished)
        {
            await browser.WaitForAsync($"({DrawnChartsScript}) >= {expectedCharts}", TimeSpan.FromSeconds(60));
            cells = await CellReportAsync();
        }

        var problems = new List<string>();
        if (!finished)
        {
            problems.Add("Run All did not finish within 4 minutes");
        }

        foreach (var cell in cells)
        {
            var where = $"cell {(int)cell["index"]! + 1}";
            if (cell["prompt"] is not JsonValue prompt || prompt.GetValueKind() != System.Text.Json.JsonValueKind.Number)
            {
                problems.Add($"{where} did not run (prompt {cell["prompt"]?.ToJsonString() ?? "empty"})");
            }

            foreach (var error in cell["errors"]!.AsArray())
            {
                problems.Add($"{where} has an error output: {error}");
            }

            if ((int)cell["drawn"]! != (int)cell["expected"]!)
            {
                problems.Add($"{where}: {cell["drawn"]} of {cell["expected"]} charts drew as a plotly figure");
            }

            if ((int)cell["animated"]! != (int)cell["framed"]!)
            {
                problems.Add($"{where}: {cell["framed"]} of {cell["animated"]} animations have their frames");
            }

            if ((int)cell["jsErrors"]! > 0)
            {
                problems.Add($"{where} shows 'Javascript error adding output'");
            }
        }

        problems.AddRange(browser.ScriptErrors.Skip(errorsBefore).Select(e => $"uncaught script error: {e}"));
        output.WriteLine($"{notebook}: {cells.Count} code cells, {expectedCharts} charts; Run All {ran.TotalSeconds:F1} s, " +
                         $"with charts {clock.Elapsed.TotalSeconds:F1} s; plotly.js requests answered locally so far: {browser.PlotlyRequests.Count}");
        await CloseAsync();
        Assert.True(problems.Count == 0, $"{notebook}:\n  {string.Join("\n  ", problems)}\nblocked requests: {string.Join(", ", browser.BlockedRequests.Distinct())}\nserver log:\n{ui.ServerLog}");
        Assert.True(cells.Count > 0, $"{notebook}: no code cells seen in the UI");
    }

    [NeedsPackagesFact(DebianPackages.Chromium, DebianPackages.JupyterNotebook, DebianPackages.JupyterClient)]
    public async Task Interrupt_from_the_UI_stops_a_running_cell_and_the_kernel_runs_the_next()
    {
        const string notebook = "interrupt-from-the-ui.ipynb";
        await WriteNotebookAsync(notebook, "var spins = 0L;\nwhile (true) { spins++; }", "\"alive after the interrupt: \" + (6 * 7)");
        var browser = ui.Browser;
        await OpenAsync(notebook);

        await browser.EvaluateAsync("Jupyter.notebook.get_cell(0).execute(); true");
        Assert.True(await browser.WaitForAsync("Jupyter.notebook.kernel_busy", TimeSpan.FromSeconds(30)), "the endless cell never started");
        await Task.Delay(1500);
        Assert.True(await browser.EvaluateAsync("Jupyter.notebook.get_cell(0).input_prompt_number === '*'") is JsonValue busy && busy.GetValue<bool>(),
            "the endless cell stopped by itself");

        // The toolbar's interrupt button, as a student would press it.
        var pressed = await browser.EvaluateAsync(
            "(function () { var b = document.querySelector('button[data-jupyter-action=\"jupyter-notebook:interrupt-kernel\"]');" +
            " if (!b) { return false; } b.click(); return true; })()");
        Assert.True(pressed is JsonValue p && p.GetValue<bool>(), "no interrupt button in the toolbar");
        var stopped = await browser.WaitForAsync(
            "typeof Jupyter.notebook.get_cell(0).input_prompt_number === 'number' && !Jupyter.notebook.kernel_busy", TimeSpan.FromSeconds(20));
        var outputs = await browser.EvaluateAsync("Jupyter.notebook.get_cell(0).output_area.outputs");
        Assert.True(stopped, $"the interrupt did not stop the cell: {outputs?.ToJsonString()}");
        Assert.Contains("OperationCanceledException", outputs!.ToJsonString());

        await browser.EvaluateAsync("Jupyter.notebook.get_cell(1).execute(); true");
        Assert.True(await browser.WaitForAsync("typeof Jupyter.notebook.get_cell(1).input_prompt_number === 'number'", TimeSpan.FromSeconds(30)),
            "the kernel did not run the next cell");
        var next = await browser.EvaluateAsync("Jupyter.notebook.get_cell(1).output_area.outputs");
        await CloseAsync();
        Assert.Contains("alive after the interrupt: 42", next!.ToJsonString());
    }

    [NeedsPackagesFact(DebianPackages.Chromium, DebianPackages.JupyterNotebook, DebianPackages.JupyterClient)]
    public async Task A_stack_overflow_shows_on_its_cell_and_the_kernel_restarts_by_itself()
    {
        const string notebook = "stack-overflow-in-the-ui.ipynb";
        await WriteNotebookAsync(notebook, "var before = 1;", "int F(int n) => F(n + 1) + 1;\nF(0)", "\"alive after the restart: \" + (6 * 7)");
        var browser = ui.Browser;
        await OpenAsync(notebook);

        await browser.EvaluateAsync("Jupyter.notebook.get_cell(0).execute(); Jupyter.notebook.get_cell(1).execute(); true");
        var reported = await browser.WaitForAsync(
            "Jupyter.notebook.get_cell(1).output_area.outputs.some(function (o) { return o.output_type === 'error'; })", TimeSpan.FromSeconds(60));
        var outputs = await browser.EvaluateAsync("Jupyter.notebook.get_cell(1).output_area.outputs");
        Assert.True(reported, $"the cell that overflowed the stack shows no error: {outputs?.ToJsonString()}\n{ui.ServerLog}");
        var error = outputs!.AsArray().Single(o => (string?)o!["output_type"] == "error")!;
        Assert.Equal("KernelProcessEnded", (string?)error["ename"]);
        Assert.StartsWith("cell [2] ended the kernel process: stack overflow", (string?)error["evalue"]);

        // The notebook server's restarter notices the ended process and starts a new kernel on the same ports; the UI
        // says so ("restarting" status) and the next cell runs in the new kernel.
        Assert.True(await browser.WaitForAsync("Jupyter.notebook.kernel._autorestart_attempt >= 1", TimeSpan.FromSeconds(30)),
            $"the UI heard of no restart\n{ui.ServerLog}");
        await browser.EvaluateAsync("Jupyter.notebook.get_cell(2).execute(); true");
        var restarted = await browser.WaitForAsync(
            "Jupyter.notebook.get_cell(2).output_area.outputs.some(function (o) { return JSON.stringify(o).indexOf('alive after the restart: 42') >= 0; })",
            TimeSpan.FromSeconds(90));
        var next = await browser.EvaluateAsync("[Jupyter.notebook.get_cell(2).input_prompt_number, Jupyter.notebook.get_cell(2).output_area.outputs]");
        await CloseAsync();
        Assert.True(restarted, $"the restarted kernel did not run the next cell: {next?.ToJsonString()}\n{ui.ServerLog}");
        Assert.Equal(1, (int)next![0]!);
    }

    /// <summary>Writes a notebook of code cells, for the C# (Descent) kernel, into the served folder.</summary>
    private async Task WriteNotebookAsync(string notebook, params string[] sources)
    {
        var document = new JsonObject
        {
            ["cells"] = new JsonArray(sources.Select(code => (JsonNode?)new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(),
                ["source"] = code,
            }).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = "C# (Descent)", ["language"] = "C#", ["name"] = "descent-csharp" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        await File.WriteAllTextAsync(Path.Combine(ui.Root, "notebooks", notebook), document.ToJsonString());
    }

    /// <summary>Opens a notebook in the UI and waits until its kernel, chosen by the UI, is connected.</summary>
    private async Task OpenAsync(string notebook)
    {
        var browser = ui.Browser;
        await browser.NavigateAsync($"{ui.BaseUrl}/notebooks/notebooks/{notebook}?token={ui.Token}");
        var connected = await browser.WaitForAsync(
            "window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()" +
            " && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.status === 'ok'",
            TimeSpan.FromSeconds(90));
        Assert.True(connected, $"{notebook}: the UI did not connect a kernel within 90 s\n{ui.ServerLog}");
        var kernel = await browser.EvaluateAsync("[Jupyter.notebook.kernel.name, document.querySelector('.kernel_indicator_name').textContent]");
        Assert.Equal("descent-csharp", (string?)kernel![0]);
        Assert.Equal("C# (Descent)", (string?)kernel[1]);
        // The copy is never saved: the test leaves the served notebooks as they were.
        await browser.EvaluateAsync("Jupyter.notebook.set_autosave_interval(0); true");
    }

    /// <summary>Shuts the notebook's kernel down and leaves the page without the unsaved-changes prompt.</summary>
    private async Task CloseAsync()
    {
        await ui.Browser.EvaluateAsync(
            "new Promise(function (resolve) { Jupyter.notebook.set_dirty(false); window.onbeforeunload = null;" +
            " Jupyter.notebook.session.delete(function () { resolve(true); }, function () { resolve(false); }); })",
            TimeSpan.FromSeconds(30));
        await ui.Browser.NavigateAsync("about:blank");
    }

    private const string DrawnChartsScript =
        "Array.prototype.filter.call(document.querySelectorAll('#notebook .output_area .js-plotly-plot'), function (gd) {" +
        " return gd._fullLayout && gd._fullData && gd._fullData.length > 0 && gd.querySelector('.main-svg'); }).length";

    /// <summary>Per code cell: prompt, error outputs, charts expected (Plotly.newPlot calls in HTML outputs) and drawn.</summary>
    private async Task<List<JsonObject>> CellReportAsync()
    {
        var report = await ui.Browser.EvaluateAsync(
            "Jupyter.notebook.get_cells().map(function (c, i) { if (c.cell_type !== 'code') { return null; }" +
            " var el = c.output_area.element[0], expected = 0, animated = 0, errors = [];" +
            " c.output_area.outputs.forEach(function (o) {" +
            "  if (o.output_type === 'error') { errors.push(o.ename + ': ' + o.evalue); }" +
            "  var html = o.data && o.data['text/html']; if (Array.isArray(html)) { html = html.join(''); }" +
            "  if (typeof html === 'string') { expected += (html.match(/Plotly\\.newPlot\\(/g) || []).length; animated += (html.match(/Plotly\\.addFrames\\(/g) || []).length; } });" +
            " var charts = Array.prototype.filter.call(el.querySelectorAll('.js-plotly-plot'), function (gd) {" +
            "  return gd._fullLayout && gd._fullData && gd._fullData.length > 0 && gd.querySelector('.main-svg'); });" +
            " var framed = charts.filter(function (gd) { return gd._transitionData && gd._transitionData._frames && gd._transitionData._frames.length > 0; }).length;" +
            " return { index: i, prompt: c.input_prompt_number === undefined ? null : c.input_prompt_number, errors: errors, expected: expected," +
            "  drawn: charts.length, animated: animated, framed: framed, jsErrors: el.querySelectorAll('.js-error').length }; })" +
            ".filter(function (r) { return r !== null; })");
        return report!.AsArray().Select(r => r!.AsObject()).ToList();
    }
}

/// <summary>The UI tests share one server and browser and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class NotebookUiCollection : ICollectionFixture<NotebookUi>
{
    public const string Name = "notebook UI";
}
