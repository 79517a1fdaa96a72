using System.Reflection;

namespace Descent.Notebooks.Execution;

/// <summary>
/// The formatter <c>Plotly.NET.Interactive</c> registers, and nothing else: a <c>GenericChart</c> is shown as
/// <c>text/html</c> by <c>Chart.withDisplayOptionsStyle(PlotlyJSReference = Require "https://cdn.plot.ly/plotly-{version}.min")</c>
/// followed by <c>GenericChart.toChartHTML</c> (Plotly.NET.Interactive's Formatters.fs). It is bound by reflection to
/// the Plotly.NET the script loaded, so the process never holds a second copy of Plotly.NET or FSharp.Core.
/// </summary>
internal static class PlotlyFormatter
{
    private const BindingFlags PublicStatic = BindingFlags.Public | BindingFlags.Static;

    /// <summary>The require.js path of plotly.js for <paramref name="plotlyJsVersion"/>, as Plotly.NET.Interactive writes it.</summary>
    public static string RequireSource(string plotlyJsVersion) => $"https://cdn.plot.ly/plotly-{plotlyJsVersion}.min";

    /// <summary>Registers the chart formatter when Plotly.NET is loaded; false while it is not (yet).</summary>
    public static bool TryRegister()
    {
        var plotly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Plotly.NET");
        if (plotly is null)
        {
            return false;
        }

        var chartType = plotly.GetType("Plotly.NET.GenericChart");
        var toChartHtml = chartType?.GetMethod("toChartHTML", PublicStatic);
        var withStyle = plotly.GetType("Plotly.NET.Chart")?.GetMethods(PublicStatic)
            .FirstOrDefault(m => m.Name is "withDisplayOptionsStyle" or "WithDisplayOptionsStyle"
                                 && m.GetParameters().Any(p => p.Name == "PlotlyJSReference"));
        var newRequire = plotly.GetType("Plotly.NET.PlotlyJSReference")?.GetMethod("NewRequire", PublicStatic);
        var version = plotly.GetType("Globals")?.GetField("PLOTLYJS_VERSION", PublicStatic)?.GetValue(null) as string;
        if (chartType is null || toChartHtml is null || withStyle is null || newRequire is null || version is null)
        {
            throw new InvalidOperationException(
                $"Plotly.NET {plotly.GetName().Version} does not have the API Plotly.NET.Interactive's formatter uses " +
                "(GenericChart.toChartHTML, Chart.withDisplayOptionsStyle, PlotlyJSReference.Require, Globals.PLOTLYJS_VERSION).");
        }

        var require = newRequire.Invoke(null, [RequireSource(version)]);
        var arguments = withStyle.GetParameters()
            .Select(p => p.Name == "PlotlyJSReference" ? Some(p.ParameterType, require) : null)
            .ToArray();
        MimeFormatting.RegisterHtml(chartType, (chart, writer) =>
        {
            // withDisplayOptionsStyle(...) returns an F# function GenericChart -> GenericChart.
            var style = withStyle.Invoke(null, arguments)!;
            var styled = style.GetType().GetMethod("Invoke", [chartType])!.Invoke(style, [chart]);
            writer.Write((string)toChartHtml.Invoke(null, [styled])!);
        });
        return true;
    }

    // F# optional parameters are FSharpOption<T>; null is None.
    private static object Some(Type optionType, object? value) =>
        optionType.GetMethod("Some", PublicStatic)!.Invoke(null, [value])!;
}
