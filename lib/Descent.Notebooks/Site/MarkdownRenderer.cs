using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Descent.Notebooks.Site;

/// <summary>
/// Markdown cells through Markdig (advanced extensions: pipe tables, heading ids, math, …). LaTeX stays intact for
/// KaTeX's auto-render: <c>$…$</c> becomes <c>&lt;span class="math"&gt;\(…\)&lt;/span&gt;</c>, and <c>$$…$$</c> is
/// display math as in Jupyter, whether on its own lines (Markdig's <c>&lt;div class="math"&gt;\[…\]&lt;/div&gt;</c>) or
/// on one line, which Markdig parses as inline math and this renderer writes as <c>\[…\]</c>.
/// </summary>
internal static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The markdown as HTML.</summary>
    public static string ToHtml(string markdown)
    {
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.Replace<HtmlMathInlineRenderer>(new JupyterMathInlineRenderer());
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<Markdig.Syntax.Inlines.LinkInline>())
        {
            link.Url = SitePageUrl(link.Url);
        }

        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>
    /// A relative link to another notebook (<c>03-x.ipynb</c>, <c>03-x.ipynb#part</c>) points at its page on the site
    /// (<c>03-x.html</c>); every other URL is left alone.
    /// </summary>
    public static string? SitePageUrl(string? url)
    {
        if (url is null || url.Contains("://", StringComparison.Ordinal) || url.StartsWith('/') || url.StartsWith('#'))
        {
            return url;
        }

        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var (path, fragment) = hash < 0 ? (url, "") : (url[..hash], url[hash..]);
        return path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) ? path[..^".ipynb".Length] + ".html" + fragment : url;
    }

    /// <summary>The markdown's text without formatting (for titles).</summary>
    public static string ToPlainText(string markdown) => Markdown.ToPlainText(markdown, Pipeline).Trim();

    /// <summary>Inline math with Jupyter's meaning of the delimiters: <c>$</c> inline, <c>$$</c> display.</summary>
    private sealed class JupyterMathInlineRenderer : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline obj)
        {
            var display = obj.DelimiterCount >= 2;
            renderer.Write(display ? "<span class=\"math display\">\\[" : "<span class=\"math\">\\(");
            renderer.WriteEscape(ref obj.Content);
            renderer.Write(display ? "\\]</span>" : "\\)</span>");
        }
    }
}
