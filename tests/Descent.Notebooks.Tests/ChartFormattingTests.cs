using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Tests;

/// <summary>
/// A Plotly.NET chart shows as a chart (Plotly.NET's chart HTML, plotly.js through the course's one loader) when the
/// notebook references only Plotly.NET or Plotly.NET.CSharp, not Plotly.NET.Interactive: as a cell's value and through
/// display(...) and .Display().
/// </summary>
public sealed class ChartFormattingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-charts-").FullName;
    private readonly ExecutionSession _session;

    public ChartFormattingTests() => _session = ExecutionSession.Create(new ExecutionSessionOptions(_dir));

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<SubmissionResult> Run(string code)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var result = await _session.SubmitAsync(code, null, cts.Token);
        Assert.True(result.Succeeded, result.Error?.Value);
        return result;
    }

    private static void AssertChart(IReadOnlyDictionary<string, string> bundle)
    {
        var html = Assert.Single(bundle, kv => kv.Key == "text/html").Value;
        Assert.DoesNotContain("dni-treeview", html);
        Assert.Contains("Plotly.newPlot(", html);
        // The loader: the page's Plotly, else require.js (own context), else the CDN.
        Assert.Contains("w.Plotly && typeof w.Plotly.newPlot === 'function'", html);
        Assert.Contains("context: 'descent-plotly'", html);
        Assert.Contains("s.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js'", html);
        Assert.Contains("= function(Plotly) {", html);
        Assert.DoesNotContain("cdnjs.cloudflare.com", html);
    }

    [Fact]
    public async Task A_PlotlyNET_CSharp_chart_is_a_chart_as_value_display_and_Display()
    {
        var value = await Run("#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\n" +
                              "var c = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new double[] { 1, 2 }, y: new double[] { 3, 4 });\nc");
        AssertChart(Assert.IsType<ResultOutput>(Assert.Single(value.Outputs)).Data);

        var shown = await Run("display(c);\nc.Display();");
        Assert.Equal(2, shown.Outputs.Count);
        foreach (var output in shown.Outputs)
        {
            AssertChart(Assert.IsType<DisplayOutput>(output).Data);
        }
    }

    [Fact]
    public async Task A_PlotlyNET_chart_is_a_chart_without_PlotlyNET_Interactive()
    {
        var value = await Run("#r \"nuget: Plotly.NET, 6.0.0\"\nPlotly.NET.Chart.Invisible()");
        AssertChart(Assert.IsType<ResultOutput>(Assert.Single(value.Outputs)).Data);
    }

    [Fact]
    public void Chart_HTML_of_an_unexpected_shape_is_named_not_passed_on()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PlotlyFormatter.WithLoader("<div>no chart here</div>", "2.28.0"));
        Assert.Contains("no longer has the shape", e.Message);
    }
}
