using System.Reflection;
using System.Text.RegularExpressions;
using Descent.Plots;

namespace Descent.Notebooks.Engine;

/// <summary>
/// Shows a Plotly.NET <c>GenericChart</c> (also what Plotly.NET.CSharp's <c>Chart</c> methods return) as a chart in
/// <c>text/html</c>, whether or not the notebook references <c>Plotly.NET.Interactive</c>: Plotly.NET's own chart
/// HTML (<c>GenericChart.toChartHTML</c>) with its draw function handed to <see cref="PlotlyLoader"/>, which takes
/// the page's <c>Plotly</c>, else require.js, else the CDN — the same loader the library's animations use. It is bound
/// by reflection to the Plotly.NET the script loaded, so the process never holds a second copy of Plotly.NET or
/// FSharp.Core.
/// </summary>
internal static partial class PlotlyFormatter
{
    private const BindingFlags PublicStatic = BindingFlags.Public | BindingFlags.Static;
    private static readonly object Gate = new();
    private static volatile bool _plotlyLoaded;
    private static volatile bool _registered;

    static PlotlyFormatter()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            if (e.LoadedAssembly.GetName().Name == "Plotly.NET")
            {
                _plotlyLoaded = true;
            }
        };
        _plotlyLoaded = FindPlotly() is not null;
    }

    /// <summary>The require.js path of plotly.js for <paramref name="plotlyJsVersion"/>, as Plotly.NET.Interactive writes it.</summary>
    public static string RequireSource(string plotlyJsVersion) => PlotlyLoader.CdnModule(plotlyJsVersion);

    /// <summary>Registers the chart formatter once Plotly.NET is loaded; cheap to call before every formatting.</summary>
    public static void EnsureRegistered()
    {
        if (!_registered && _plotlyLoaded)
        {
            TryRegister();
        }
    }

    /// <summary>After the formatters were reset (<see cref="MimeFormatting.ResetToDefault"/>): register again on next use.</summary>
    internal static void ForgetRegistration()
    {
        lock (Gate)
        {
            _registered = false;
        }
    }

    /// <summary>Registers the chart formatter when Plotly.NET is loaded; false while it is not (yet).</summary>
    public static bool TryRegister()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return true;
            }

            var plotly = FindPlotly();
            if (plotly is null)
            {
                return false;
            }

            var chartType = plotly.GetType("Plotly.NET.GenericChart");
            var toChartHtml = chartType?.GetMethod("toChartHTML", PublicStatic);
            var withStyle = plotly.GetType("Plotly.NET.Chart")?.GetMethods(PublicStatic)
                .FirstOrDefault(m => m.Name is "withDisplayOptionsStyle" or "WithDisplayOptionsStyle"
                                     && m.GetParameters().Any(p => p.Name == "PlotlyJSReference"));
            var noReference = plotly.GetType("Plotly.NET.PlotlyJSReference")?.GetProperty("NoReference", PublicStatic)?.GetValue(null);
            var version = plotly.GetType("Globals")?.GetField("PLOTLYJS_VERSION", PublicStatic)?.GetValue(null) as string;
            if (chartType is null || toChartHtml is null || withStyle is null || noReference is null || version is null)
            {
                throw new InvalidOperationException(
                    $"Plotly.NET {plotly.GetName().Version} does not have the API the chart formatter uses " +
                    "(GenericChart.toChartHTML, Chart.withDisplayOptionsStyle, PlotlyJSReference.NoReference, Globals.PLOTLYJS_VERSION).");
            }

            var arguments = withStyle.GetParameters()
                .Select(p => p.Name == "PlotlyJSReference" ? Some(p.ParameterType, noReference) : null)
                .ToArray();
            MimeFormatting.RegisterHtml(chartType, (chart, writer) =>
            {
                // withDisplayOptionsStyle(...) returns an F# function GenericChart -> GenericChart.
                var style = withStyle.Invoke(null, arguments)!;
                var styled = style.GetType().GetMethod("Invoke", [chartType])!.Invoke(style, [chart]);
                writer.Write(WithLoader((string)toChartHtml.Invoke(null, [styled])!, version));
            });
            _registered = true;
            return true;
        }
    }

    /// <summary>
    /// Plotly.NET's chart HTML without a plotly.js reference defines <c>renderPlotly_X = function() {…}</c> using a
    /// global <c>Plotly</c> and calls it; here the function takes <c>Plotly</c> and the loader calls it.
    /// </summary>
    internal static string WithLoader(string html, string version)
    {
        var div = ChartDiv().Match(html);
        var function = RenderFunction().Match(html);
        var call = function.Success ? RenderCall(function.Groups["name"].Value).Match(html) : Match.Empty;
        if (!div.Success || !function.Success || !call.Success)
        {
            throw new InvalidOperationException(
                "Plotly.NET's chart HTML no longer has the shape the chart formatter expects " +
                $"(<div id=…>, var renderPlotly_… = function() {{…}}, renderPlotly_…();): {html[..Math.Min(200, html.Length)]}");
        }

        var name = function.Groups["name"].Value;
        var script = PlotlyLoader.Script(version, div.Groups["id"].Value, name);
        return html[..function.Index] + $"var {name} = function(Plotly) {{" +
               html[(function.Index + function.Length)..call.Index] + script + html[(call.Index + call.Length)..];
    }

    private static Assembly? FindPlotly() =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Plotly.NET");

    // F# optional parameters are FSharpOption<T>; null is None.
    private static object Some(Type optionType, object? value) =>
        optionType.GetMethod("Some", PublicStatic)!.Invoke(null, [value])!;

    [GeneratedRegex("""<div id="(?<id>[A-Za-z0-9_-]+)">""")]
    private static partial Regex ChartDiv();

    [GeneratedRegex(@"var (?<name>renderPlotly_[A-Za-z0-9_]+) = function\(\) \{")]
    private static partial Regex RenderFunction();

    private static Regex RenderCall(string name) => new($@"(?m)^{Regex.Escape(name)}\(\);");
}
