using System.Text.RegularExpressions;

namespace Descent.Notebooks.Site;

/// <summary>
/// Makes chart HTML draw without a network. The page loads plotly.js once from assets/ and a require.js stand-in
/// (assets/offline-require.js) that hands out that Plotly, so Plotly.NET's three forms all draw: the plain
/// <c>Plotly.newPlot</c> script, the require.js script Plotly.NET.Interactive emits, and a CDN script tag.
/// </summary>
internal static partial class OfflinePlotly
{
    /// <summary>The asset every chart page loads.</summary>
    public const string Script = "plotly.min.js";

    /// <summary>True when the HTML draws or loads a plotly chart.</summary>
    public static bool Uses(string html) => html.Contains("plotly", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Drops script tags that load plotly.js from a CDN (the page already has it; loading it again per chart would
    /// re-parse 3.6 MB) and points any other CDN plotly URL (require.js paths, script loaders) at the local copy.
    /// </summary>
    public static string Localize(string html, string assetsPrefix)
    {
        var withoutTags = CdnScriptTag().Replace(html, "<!-- plotly.js is loaded once from assets/ -->");
        return CdnUrl().Replace(withoutTags, m => assetsPrefix + (m.Groups["ext"].Success ? Script : Script[..^3]));
    }

    [GeneratedRegex("""<script\b[^>]*\bsrc\s*=\s*["']https?://(?:cdn\.plot\.ly|cdn\.jsdelivr\.net/npm|unpkg\.com)/plotly[^"']*["'][^>]*>\s*</script>""", RegexOptions.IgnoreCase)]
    private static partial Regex CdnScriptTag();

    [GeneratedRegex("""https?://(?:cdn\.plot\.ly|cdn\.jsdelivr\.net/npm|unpkg\.com)/plotly[\w.@/-]*?(?:\.min)?(?<ext>\.js)?(?=["'])""", RegexOptions.IgnoreCase)]
    private static partial Regex CdnUrl();
}
