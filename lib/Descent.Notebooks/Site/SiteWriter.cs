using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Descent.Notebooks.Notebooks;
using Markdig;

namespace Descent.Notebooks.Site;

/// <summary>One page of the course site: an executed notebook.</summary>
/// <param name="Title">The title shown in the index (the notebook's first heading is used when it has one).</param>
/// <param name="HtmlFileName">The page's file name, relative to the site folder.</param>
/// <param name="ExecutedNotebookJson">The executed notebook (nbformat 4 JSON with outputs).</param>
public sealed record SitePage(string Title, string HtmlFileName, string ExecutedNotebookJson);

/// <summary>
/// Renders executed notebooks as an offline site: markdown through Markdig, LaTeX through KaTeX and charts through
/// plotly.js, all served from the site's own assets/ folder, so pages work without a network.
/// </summary>
public static partial class SiteWriter
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Writes every page, index.html and assets/ under <paramref name="outDir"/>; each file atomically.</summary>
    public static void Write(string outDir, IReadOnlyList<SitePage> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        Directory.CreateDirectory(outDir);
        WriteAssets(Path.Combine(outDir, "assets"));
        foreach (var page in pages)
        {
            NotebookDocument.WriteAtomically(Path.Combine(outDir, page.HtmlFileName), RenderPage(page));
        }

        NotebookDocument.WriteAtomically(Path.Combine(outDir, "index.html"), RenderIndex(pages));
    }

    /// <summary>The HTML of one page.</summary>
    public static string RenderPage(SitePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var document = NotebookDocument.Parse(page.HtmlFileName, page.ExecutedNotebookJson);
        var body = new StringBuilder();
        foreach (var cell in document.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    body.Append("<div class=\"cell markdown\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</div>\n");
                    break;
                case "code":
                    RenderCode(cell, body);
                    break;
                default:
                    body.Append("<div class=\"cell raw\"><pre>").Append(Escape(cell.Source)).Append("</pre></div>\n");
                    break;
            }
        }

        return Layout(TitleOf(page), body.ToString(), withPlotly: true);
    }

    /// <summary>The HTML of the index page linking every page in order.</summary>
    public static string RenderIndex(IReadOnlyList<SitePage> pages)
    {
        var list = new StringBuilder("<h1>Descent — the course</h1>\n<p>Every page below was executed from its notebook; every number and chart on it was computed when the site was built.</p>\n<ol class=\"toc\">\n");
        foreach (var page in pages)
        {
            list.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(page.HtmlFileName)).Append("\">")
                .Append(Escape(TitleOf(page))).Append("</a></li>\n");
        }

        list.Append("</ol>\n");
        return Layout("Descent — the course", list.ToString(), withPlotly: false);
    }

    private static string TitleOf(SitePage page)
    {
        try
        {
            var document = NotebookDocument.Parse(page.HtmlFileName, page.ExecutedNotebookJson);
            var heading = document.Cells.Where(c => c.CellType == "markdown")
                .SelectMany(c => c.Source.Split('\n'))
                .FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
            return heading is null ? page.Title : heading[2..].Trim();
        }
        catch (NotebookFormatException)
        {
            return page.Title;
        }
    }

    private static void RenderCode(NotebookCell cell, StringBuilder body)
    {
        var count = cell.Json["execution_count"]?.ToString() ?? " ";
        body.Append("<div class=\"cell code\"><div class=\"prompt\">In [").Append(Escape(count)).Append("]:</div>")
            .Append("<div class=\"source\"><pre><code class=\"language-csharp\">").Append(Escape(cell.Source)).Append("</code></pre></div>\n");
        if (cell.Json["outputs"] is JsonArray outputs)
        {
            foreach (var output in outputs.OfType<JsonObject>())
            {
                RenderOutput(output, body);
            }
        }

        body.Append("</div>\n");
    }

    private static void RenderOutput(JsonObject output, StringBuilder body)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                var name = (string?)output["name"] == "stderr" ? "stderr" : "stdout";
                body.Append("<div class=\"output ").Append(name).Append("\"><pre>")
                    .Append(Escape(NotebookDocument.JoinSource(output["text"]))).Append("</pre></div>\n");
                break;
            case "error":
                var traceback = output["traceback"] is JsonArray lines
                    ? string.Join("\n", lines.Select(l => (string?)l))
                    : string.Empty;
                body.Append("<div class=\"output error\"><pre>").Append(Escape($"{output["ename"]}: {output["evalue"]}"));
                if (traceback.Length > 0 && traceback != $"{output["evalue"]}")
                {
                    body.Append('\n').Append(Escape(traceback));
                }

                body.Append("</pre></div>\n");
                break;
            case "display_data" or "execute_result":
                body.Append("<div class=\"output result\">").Append(RenderBundle(output["data"] as JsonObject)).Append("</div>\n");
                break;
        }
    }

    private static string RenderBundle(JsonObject? data)
    {
        if (data is null)
        {
            return string.Empty;
        }

        if (data["text/html"] is { } html)
        {
            return LocalPlotly(NotebookDocument.JoinSource(html));
        }

        if (data["image/svg+xml"] is { } svg)
        {
            return NotebookDocument.JoinSource(svg);
        }

        if (data["image/png"] is { } png)
        {
            return $"<img alt=\"output\" src=\"data:image/png;base64,{NotebookDocument.JoinSource(png).Trim()}\">";
        }

        return data["text/plain"] is { } text ? $"<pre>{Escape(NotebookDocument.JoinSource(text))}</pre>" : string.Empty;
    }

    /// <summary>Points plotly.js script tags at the site's own copy instead of a CDN.</summary>
    private static string LocalPlotly(string html) => CdnPlotly().Replace(html, "src=\"assets/plotly.min.js\"");

    private static string Layout(string title, string body, bool withPlotly)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Escape(title)).Append("</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"assets/katex.min.css\">\n<link rel=\"stylesheet\" href=\"assets/site.css\">\n");
        if (withPlotly)
        {
            sb.Append("<script src=\"assets/plotly.min.js\"></script>\n");
        }

        sb.Append("</head>\n<body>\n<header class=\"site\"><a href=\"index.html\">Descent</a> · how neural networks are optimised</header>\n<main>\n")
            .Append(body)
            .Append("</main>\n<script src=\"assets/katex.min.js\"></script>\n<script src=\"assets/auto-render.min.js\"></script>\n")
            .Append("<script>document.querySelectorAll('.cell.markdown').forEach(function (el) { renderMathInElement(el, { delimiters: [")
            .Append("{left: '\\\\[', right: '\\\\]', display: true}, {left: '\\\\(', right: '\\\\)', display: false}, ")
            .Append("{left: '$$', right: '$$', display: true}], throwOnError: false }); });</script>\n")
            .Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void WriteAssets(string folder)
    {
        var assembly = typeof(SiteWriter).Assembly;
        const string prefix = "Descent.Notebooks.Site.assets.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var relative = name[prefix.Length..];
            var target = relative.StartsWith("fonts.", StringComparison.Ordinal)
                ? Path.Combine(folder, "fonts", relative["fonts.".Length..])
                : Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var stream = assembly.GetManifestResourceStream(name)!;
            var temp = target + $".{Guid.NewGuid():N}.tmp";
            using (var file = File.Create(temp))
            {
                stream.CopyTo(file);
            }

            File.Move(temp, target, overwrite: true);
        }
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("""src=["']https://cdn\.plot\.ly/plotly-[^"']*\.js["']""")]
    private static partial Regex CdnPlotly();
}
