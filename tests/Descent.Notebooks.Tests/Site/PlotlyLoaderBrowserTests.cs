using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;
using Descent.Testing;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Descent.Notebooks.Tests.Site;

/// <summary>
/// The loader's last resort, as in VS Code's output renderer or a bare HTML file: no global Plotly and no require.js,
/// so plotly.js comes from the CDN — once per page however many charts there are — and without a network each chart
/// says so in its place instead of throwing.
/// </summary>
public sealed class PlotlyLoaderBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BarePage()
    {
        var ravine = Descent.Landscapes.Quadratic.Ravine(20);
        var runs = new[] { Descent.Landscapes.LandscapeRun.Run(ravine, p => new Descent.Optimizers.Sgd(p, 0.09), 20, "SGD") };
        var animation = Descent.Plots.Plot.Race(ravine, runs, "race", stride: 2).ToHtml();
        // Two charts (each formatting has its own element id) and the animation: three loads asked for, one made.
        string Chart() => MimeFormatting.Format(
            CSharpChart.Line<double, double, string>(x: [0, 1, 2], y: [3, 1, 2], Name: "line"), null, PlotlyFormatter.EnsureRegistered)["text/html"];
        var page = Path.Combine(_dir, "bare.html");
        File.WriteAllText(page, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{animation}{Chart()}{Chart()}</body></html>");
        return new Uri(page).AbsoluteUri;
    }

    [NeedsPackagesFact(DebianPackages.Chromium)]
    public async Task Without_Plotly_or_require_the_page_loads_plotly_from_the_CDN_once_and_every_chart_draws()
    {
        var localPlotly = Path.Combine(Repo.Root, "lib", "Descent.Notebooks", "Site", "assets", "plotly.min.js");
        await using var browser = await DevToolsBrowser.StartAsync(localPlotly);
        await browser.NavigateAsync(BarePage());
        var drew = await browser.WaitForAsync(
            "Array.prototype.filter.call(document.querySelectorAll('.js-plotly-plot'), function (gd) { return gd._fullData && gd._fullData.length > 0; }).length === 3",
            TimeSpan.FromSeconds(60));
        var frames = await browser.EvaluateAsync(
            "document.querySelector('.js-plotly-plot')._transitionData._frames.length");
        Assert.True(drew, $"not every chart drew; errors: {string.Join("; ", browser.ScriptErrors)}");
        Assert.True(frames is JsonValue f && f.GetValue<int>() > 0, "the animation has no frames");
        Assert.Single(browser.PlotlyRequests);
        Assert.Empty(browser.ScriptErrors);
    }

    [NeedsPackagesFact(DebianPackages.Chromium)]
    public async Task Without_a_network_each_chart_says_plotly_could_not_be_loaded_and_nothing_throws()
    {
        await using var browser = await DevToolsBrowser.StartAsync(localPlotlyJs: null);
        await browser.NavigateAsync(BarePage());
        var told = await browser.WaitForAsync(
            "document.body.textContent.split('could not load plotly.js from https://cdn.plot.ly/plotly-2.28.0.min.js (no network?)').length - 1 === 3",
            TimeSpan.FromSeconds(30));
        Assert.True(told, await browser.EvaluateAsync("document.body.textContent") is { } text ? text.ToJsonString()[..Math.Min(400, text.ToJsonString().Length)] : "");
        Assert.Empty(browser.ScriptErrors);
        Assert.Contains(browser.BlockedRequests, u => u.StartsWith("https://cdn.plot.ly/plotly-2.28.0.min.js", StringComparison.Ordinal));
    }
}
