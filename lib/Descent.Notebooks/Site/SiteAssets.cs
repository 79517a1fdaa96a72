using Descent.Notebooks.Documents;
namespace Descent.Notebooks.Site;

/// <summary>
/// The site's assets/ folder: plotly.js, KaTeX (script, auto-render, stylesheet, woff2 fonts), the require.js
/// stand-in and site.css, embedded in this assembly so the site needs no network and no npm.
/// </summary>
internal static class SiteAssets
{
    private const string Prefix = "Descent.Notebooks.Site.assets.";

    /// <summary>The assets' paths relative to assets/ (e.g. <c>fonts/KaTeX_Main-Regular.woff2</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(SiteAssets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .Select(n => n.StartsWith("fonts.", StringComparison.Ordinal) ? "fonts/" + n["fonts.".Length..] : n)
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Writes every asset under <paramref name="folder"/>, each atomically (temporary file, then rename).</summary>
    public static void WriteTo(string folder)
    {
        var assembly = typeof(SiteAssets).Assembly;
        foreach (var name in Names)
        {
            var target = Path.Combine(folder, name);
            AtomicFile.Write(target, file =>
            {
                using var resource = assembly.GetManifestResourceStream(Prefix + name.Replace('/', '.'))!;
                resource.CopyTo(file);
            });
        }
    }
}
