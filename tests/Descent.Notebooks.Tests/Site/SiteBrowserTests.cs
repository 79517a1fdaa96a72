using System.Diagnostics;
using System.Text.RegularExpressions;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Run;
using Descent.Notebooks.Site;
using Descent.Testing;
using Microsoft.FSharp.Core;
using Plotly.NET;
using static Descent.Notebooks.Tests.Site.ExecutedNotebook;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Descent.Notebooks.Tests.Site;

/// <summary>
/// Opens rendered course pages in headless Chromium with the network off: every chart drew (plotly's SVG) and the
/// math rendered (KaTeX), from the site's own assets alone.
/// </summary>
public sealed partial class SiteBrowserTests : IDisposable
{
    private const string Chromium = DebianPackages.ChromiumPath;
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-site-").FullName;

    public void Dispose()
    {
        // DESCENT_SITE_KEEP=<folder> keeps the rendered pages for a look in a browser.
        if (Environment.GetEnvironmentVariable("DESCENT_SITE_KEEP") is { Length: > 0 } keep)
        {
            CopyTree(_dir, keep);
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    [NeedsPackagesFact(DebianPackages.Chromium)]
    public void Plotly_net_charts_in_every_form_draw_and_math_renders_offline()
    {
        var chart = CSharpChart.Line<double, double, string>(x: [0, 1, 2, 3], y: [4, 2, 1, 0.5], Name: "SGD, η=0.1");
        var plain = GenericChart.toChartHTML(chart);
        var require = GenericChart.toChartHTML(GenericChart.setDisplayOptions(
            DisplayOptions.init(null, null, null, null, null, null, FSharpOption<PlotlyJSReference>.Some(
                PlotlyJSReference.NewRequire($"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min"))),
            chart));
        var embedded = GenericChart.toEmbeddedHTML(chart);
        var engine = Descent.Notebooks.Engine.MimeFormatting.Format(chart, null, () => Descent.Notebooks.Engine.PlotlyFormatter.TryRegister())["text/html"];
        Assert.Contains("requirejs.config", require);
        Assert.Contains("<script src=\"https://cdn.plot.ly/plotly-", embedded);

        var notebook = new ExecutedNotebook()
            .Markdown("# Charts offline\n\nInline math $\\theta \\leftarrow \\theta - \\eta g$ and display math:\n\n$$\\hat v_t = \\frac{v_t}{1-\\beta_2^t}$$")
            .Code("chart", Display(("text/html", plain), ("text/plain", "Plotly.NET.GenericChart")))
            .Code("chart.WithRequire()", Display(("text/html", require)))
            .Code("chart.ToEmbeddedHtml()", Display(("text/html", embedded)))
            .Code("chart // engine", Result(("text/html", engine)))
            .Markdown("The step is $\\eta = 0.1$, and $$L(\\theta) = \\theta^2$$ ends it.\n\n$$\n\\eta < \\frac{2}{\\lambda_{\\max}}\n$$");
        SiteWriter.Write(_dir, [new SitePage("charts", "charts.html", notebook.ToJson())]);
        var page = Path.Combine(_dir, "charts.html");
        var html = File.ReadAllText(page);
        Assert.DoesNotContain("cdn.plot.ly", html);

        var dom = DumpDom(page);
        AssertChartsDrew(dom, expected: 4);
        AssertMathRendered(dom, expected: 5);
    }

    [NeedsPackagesFact(DebianPackages.Chromium)]
    public void A_race_animation_plays_when_its_play_button_is_clicked()
    {
        var ravine = Descent.Landscapes.Quadratic.Ravine(20);
        var runs = new[]
        {
            Descent.Landscapes.LandscapeRun.Run(ravine, p => new Descent.Optimizers.Sgd(p, 0.09), 40, "SGD"),
            Descent.Landscapes.LandscapeRun.Run(ravine, p => new Descent.Optimizers.Sgd(p, 0.03, momentum: 0.9), 40, "Momentum"),
        };
        var race = Descent.Plots.Plot.Race(ravine, runs, "race", stride: 2);
        // Press the figure's own play button once it has drawn, as a reader would, and count the frames plotly animates.
        const string press = "<script>setTimeout(function () { var gd = document.querySelector('.js-plotly-plot'); var n = 0; " +
            "gd.on('plotly_animatingframe', function (e) { n++; document.body.setAttribute('data-frames-played', n); }); " +
            "var b = document.querySelector('.updatemenu-button'); " +
            "b.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })); b.dispatchEvent(new MouseEvent('mouseup', { bubbles: true })); " +
            "b.dispatchEvent(new MouseEvent('click', { bubbles: true })); }, 1000);</script>";
        var notebook = new ExecutedNotebook().Markdown("# Race").Code("race", Display(("text/html", race.ToHtml() + press)));
        SiteWriter.Write(_dir, [new SitePage("race", "race.html", notebook.ToJson())]);
        // Headless Chromium's virtual time runs the first animation frames only with every compositor stage on.
        var dom = DumpDom(Path.Combine(_dir, "race.html"), "--run-all-compositor-stages-before-draw");
        Assert.Contains("▶ play", dom);
        // Headless virtual time advances the animation by a frame or more, depending on the machine's load.
        var played = FramesPlayed().Match(dom);
        Assert.True(played.Success && int.Parse(played.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1,
            "pressing play animated no frame");
    }

    [NeedsPackagesFact(DebianPackages.Chromium)]
    public async Task Sample_notebook_run_through_the_runner_draws_its_chart_and_math_offline()
    {
        var outDir = Path.Combine(_dir, "site");
        var code = await RunCommand.ExecuteAsync([Path.Combine(Repo.Samples, "sample.ipynb")], outDir, 300, TextWriter.Null);
        Assert.Equal(0, code);
        var page = Path.Combine(outDir, "sample.html");
        var html = await File.ReadAllTextAsync(page);
        Assert.DoesNotContain("src=\"https://", html);
        var charts = PlotlyCall().Matches(html).Count;
        Assert.True(charts > 0, "the sample page has no chart");

        var dom = DumpDom(page);
        AssertChartsDrew(dom, expected: charts);
        AssertMathRendered(dom, expected: MathSpan().Matches(html).Count);
    }

    /// <summary>Each chart's root holds plotly's main SVG with a plotted trace.</summary>
    private static void AssertChartsDrew(string dom, int expected)
    {
        var roots = ChartRoot().Matches(dom);
        Assert.Equal(expected, roots.Count);
        for (var i = 0; i < roots.Count; i++)
        {
            var end = i + 1 < roots.Count ? roots[i + 1].Index : dom.Length;
            var chart = dom[roots[i].Index..end];
            Assert.True(chart.Contains("class=\"main-svg\"", StringComparison.Ordinal), $"chart {i + 1} has no plotly SVG: it did not draw");
            Assert.True(Trace().IsMatch(chart), $"chart {i + 1} drew no trace");
        }
    }

    /// <summary>Every math span/div became KaTeX and no LaTeX delimiter is left in the visible page.</summary>
    private static void AssertMathRendered(string dom, int expected)
    {
        Assert.True(expected > 0, "the page has no math to check");
        var visible = Script().Replace(dom, string.Empty);
        Assert.Equal(expected, RenderedMath().Matches(visible).Count);
        Assert.DoesNotContain("\\(", visible);
        Assert.DoesNotContain("\\[", visible);
        Assert.DoesNotContain("katex-error", visible);
    }

    private static string DumpDom(string page, params string[] extraFlags)
    {
        Assert.True(File.Exists(Chromium),
            $"The site's browser test needs Chromium at {Chromium}: install Debian's 'chromium' package (sudo apt-get install chromium; CI runs .ci/install-deps).");
        var profile = Directory.CreateTempSubdirectory("descent-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo(Chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
                // Network off: every request but file:// and loopback goes to a closed local port.
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--virtual-time-budget=10000", .. extraFlags, "--dump-dom", new Uri(page).AbsoluteUri,
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(90_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within 90 s");
            }

            Assert.True(stdout.Result.Contains("</html>", StringComparison.Ordinal), $"chromium printed no DOM (exit {process.ExitCode}): {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    [GeneratedRegex("data-frames-played=\"([0-9]+)\"")]
    private static partial Regex FramesPlayed();

    [GeneratedRegex(@"Plotly\.newPlot\(")]
    private static partial Regex PlotlyCall();

    [GeneratedRegex("class=\"[^\"]*js-plotly-plot")]
    private static partial Regex ChartRoot();

    [GeneratedRegex("<g class=\"trace scatter")]
    private static partial Regex Trace();

    [GeneratedRegex("<span class=\"math( display)?\">|<div class=\"math\">")]
    private static partial Regex MathSpan();

    [GeneratedRegex("<span class=\"katex\">")]
    private static partial Regex RenderedMath();

    [GeneratedRegex("<script\\b.*?</script>", RegexOptions.Singleline)]
    private static partial Regex Script();
}
