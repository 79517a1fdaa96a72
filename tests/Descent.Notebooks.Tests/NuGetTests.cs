using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Tests;

/// <summary>#r "nuget: …" through a real restore (cached across runs, so only the first run is slow).</summary>
public sealed class NuGetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-nuget-").FullName;
    private readonly ExecutionSession _session;

    public NuGetTests() => _session = ExecutionSession.Create(new ExecutionSessionOptions(_dir));

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<SubmissionResult> Run(string code)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await _session.SubmitAsync(code, null, cts.Token);
    }

    [Fact]
    public async Task Package_with_version_is_restored_with_dependencies_and_referenced()
    {
        var r = await Run("#r \"nuget: MathNet.Numerics, 5.0.0\"\nusing MathNet.Numerics.LinearAlgebra;\nMatrix<double>.Build.DenseIdentity(3).Trace()");
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Equal("3", SessionTests.Shown(((ResultOutput)r.Outputs.Single()).Data["text/html"]));
    }

    [Fact]
    public async Task Package_without_version_resolves_the_latest_stable_and_is_then_pinned()
    {
        var r = await Run("#r \"nuget: MathNet.Numerics\"\ntypeof(MathNet.Numerics.Constants).Assembly.GetName().Version!.Major >= 5");
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Contains("True", ((ResultOutput)r.Outputs.Single()).Data["text/html"]);
        Assert.True((await Run("#r \"nuget: MathNet.Numerics\"")).Succeeded);
    }

    [Fact]
    public async Task Same_version_again_is_a_no_op_and_a_different_version_is_the_kernels_error()
    {
        Assert.True((await Run("#r \"nuget: MathNet.Numerics, 5.0.0\"")).Succeeded);
        Assert.True((await Run("#r \"nuget: MathNet.Numerics, 5.0.0\"")).Succeeded);
        var r = await Run("// older\n#r \"nuget: MathNet.Numerics, 4.15.0\"");
        Assert.False(r.Succeeded);
        Assert.Equal(2, r.Error!.Line);
        Assert.Equal("MathNet.Numerics version 4.15.0 cannot be added because version 5.0.0 was added previously.", r.Error!.Value);
    }

    [Fact]
    public async Task Unknown_package_reports_NU1101()
    {
        var r = await Run("var before = 1;\n#r \"nuget: Descent.No.Such.Package.Anywhere, 1.0.0\"");
        Assert.False(r.Succeeded);
        Assert.Equal("NuGetRestoreError", r.Error!.Name);
        Assert.Equal(2, r.Error.Line);
        Assert.Contains("NU1101", r.Error!.Value);
        Assert.Contains("Descent.No.Such.Package.Anywhere", r.Error.Value);
    }

    [Fact]
    public async Task Plotly_NET_Interactive_alone_brings_Plotly_NET_and_formats_charts_as_html()
    {
        var r = await Run("""
            #r "nuget: Plotly.NET.Interactive, 6.0.0"
            #r "nuget: Plotly.NET.CSharp, 0.14.0"
            display(Plotly.NET.CSharp.Chart.Point<double, double, string>(x: new[] { 1.0 }, y: new[] { 2.0 }));
            typeof(Plotly.NET.GenericChart).Assembly.GetName().Version!.ToString()
            """);
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Contains("Plotly.newPlot", Assert.IsType<DisplayOutput>(r.Outputs[0]).Data["text/html"]);
        Assert.StartsWith("6.0.0", Assert.IsType<ResultOutput>(r.Outputs[1]).Data["text/plain"]);
    }

    [Fact]
    public async Task Plotly_NET_Interactive_uses_the_Plotly_NET_already_referenced()
    {
        Assert.True((await Run("#r \"nuget: Plotly.NET, 6.0.0\"")).Succeeded);
        var r = await Run("#r \"nuget: Plotly.NET.Interactive, 5.0.0\"");
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Empty(r.Outputs);
    }

    [Fact]
    public async Task Plotly_NET_Interactive_registers_the_chart_formatter()
    {
        var r = await Run("""
            #r "nuget: Plotly.NET, 6.0.0"
            #r "nuget: Plotly.NET.Interactive, 6.0.0"
            #r "nuget: Plotly.NET.CSharp, 0.14.0"
            Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 1.0, 2.0 }, y: new[] { 3.0, 4.0 }, Name: "demo")
            """);
        Assert.True(r.Succeeded, r.Error?.Value);
        var html = ((ResultOutput)r.Outputs.Single()).Data["text/html"];
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"name\":\"demo\"", html);

        // The course's one loader (PlotlyLoader): the page's Plotly, else require.js, else the CDN, for Plotly.NET's
        // plotly.js version (Plotly.NET.Interactive's own form assumed require.js and fetched it from a CDN otherwise).
        Assert.Contains("requirejs.config({ context: 'descent-plotly', paths: { plotly: 'https://cdn.plot.ly/plotly-2.28.0.min' }, waitSeconds: 0 })", html);
        Assert.Contains("s.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js'", html);
        Assert.DoesNotContain("<script src=", html);
    }
}
