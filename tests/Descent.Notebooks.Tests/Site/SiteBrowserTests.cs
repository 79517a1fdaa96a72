using System.Diagnostics;
using System.Text.RegularExpressions;
using Descent.Notebooks.Running;

namespace Descent.Notebooks.Tests.Site;

/// <summary>Opens a rendered course page in headless Chromium with the network off: every chart drew and the math rendered.</summary>
public sealed partial class SiteBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-site-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sample_page_draws_its_chart_and_math_offline()
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
        Assert.Equal(charts, ChartRoots().Matches(dom).Count);
        Assert.True(MainSvg().Matches(dom).Count >= charts, "a chart did not draw (no plotly SVG)");
        Assert.Contains("class=\"katex\"", dom);
        Assert.DoesNotContain("\\(", MathSpans().Match(dom).Value);
    }

    private static string DumpDom(string page)
    {
        const string chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(chromium),
            "Chromium is needed for the browser test: install Debian's 'chromium' package (bash .ci/install-deps does it).");
        var profile = Directory.CreateTempSubdirectory("descent-chromium-").FullName;
        var psi = new ProcessStartInfo(chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
            // Network off: every non-file request goes to a closed local port.
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--virtual-time-budget=10000", "--dump-dom", new Uri(page).AbsoluteUri,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "chromium did not finish within 60 s");
        Directory.Delete(profile, recursive: true);
        return stdout.Result;
    }

    [GeneratedRegex(@"Plotly\.newPlot\(")]
    private static partial Regex PlotlyCall();

    [GeneratedRegex("class=\"[^\"]*js-plotly-plot")]
    private static partial Regex ChartRoots();

    [GeneratedRegex("class=\"main-svg\"")]
    private static partial Regex MainSvg();

    [GeneratedRegex("<span class=\"math\">.*?</span>")]
    private static partial Regex MathSpans();
}
