using System.Text.RegularExpressions;

namespace Descent.Notebooks.Execution;

/// <summary>
/// Chart HTML as Plotly.NET.Interactive shows it: Plotly.NET's <c>toChartHTML</c>, with plotly.js loaded from the CDN
/// (through require.js when the page has it) unless the page already has <c>Plotly</c>, as the offline course site does.
/// </summary>
internal static partial class PlotlyHtml
{
    public static string WithLoader(string chartHtml, string plotlyVersion)
    {
        var match = RenderCall().Match(chartHtml);
        if (!match.Success)
        {
            return chartHtml;
        }

        var fn = match.Groups["fn"].Value;
        var cdn = $"https://cdn.plot.ly/plotly-{plotlyVersion}.min";
        var loader =
            $"if (typeof Plotly !== 'undefined') {{ {fn}(); }} " +
            $"else if (typeof requirejs === 'function' && typeof requirejs.config === 'function') {{ " +
            $"requirejs.config({{context:'fsharp-plotly',paths:{{plotly:'{cdn}'}}}})(['plotly'], function(p) {{ window.Plotly = p; {fn}(); }}); }} " +
            $"else {{ var s = document.createElement('script'); s.src = '{cdn}.js'; s.onload = {fn}; document.head.appendChild(s); }}";
        return chartHtml[..match.Index] + loader + chartHtml[(match.Index + match.Length)..];
    }

    [GeneratedRegex(@"(?<fn>renderPlotly_[0-9a-f]+)\(\);\s*(?=</script>)")]
    private static partial Regex RenderCall();
}
