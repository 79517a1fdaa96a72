using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

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
        renderer.Render(Markdown.Parse(markdown, Pipeline));
        writer.Flush();
        return writer.ToString();
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
