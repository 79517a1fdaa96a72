using System.Text;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Site;

/// <summary>
/// Renders executed notebooks as the offline course site: one page per notebook, index.html linking them in order, and
/// assets/ with plotly.js and KaTeX, so pages draw their charts and math without a network.
/// </summary>
public static class SiteWriter
{
    private const string SiteName = "Descent";

    /// <summary>
    /// Writes every page (its <see cref="SitePage.HtmlFileName"/> relative to <paramref name="outDir"/>), index.html and
    /// assets/ under <paramref name="outDir"/>; each file atomically (temporary file in the same folder, then rename).
    /// </summary>
    /// <param name="outDir">The site folder.</param>
    /// <param name="pages">The pages, in the course's order.</param>
    /// <param name="browserBundle">
    /// The in-browser runner (<see cref="BrowserBundle.Installed"/>): when given, it is copied to run/ and every page can
    /// edit and run its cells in the reader's browser; when null, pages only show what the build executed.
    /// </param>
    /// <exception cref="ArgumentException">A page's file name is not a relative .html path inside the site, or two pages share it.</exception>
    /// <exception cref="NotebookFormatException">A page's notebook is malformed (names the page and cell).</exception>
    public static void Write(string outDir, IReadOnlyList<SitePage> pages, string? browserBundle = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        ArgumentNullException.ThrowIfNull(pages);
        foreach (var page in pages)
        {
            Validate(page);
        }

        var duplicate = pages.GroupBy(p => Normalize(p.HtmlFileName), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two pages share the file name '{duplicate.Key}'.", nameof(pages));
        }

        var rendered = new string[pages.Count];
        for (var i = 0; i < pages.Count; i++)
        {
            rendered[i] = RenderPage(pages[i], i > 0 ? pages[i - 1] : null, i + 1 < pages.Count ? pages[i + 1] : null, runnable: browserBundle is not null);
        }

        Directory.CreateDirectory(outDir);
        SiteAssets.WriteTo(Path.Combine(outDir, "assets"));
        if (browserBundle is not null)
        {
            BrowserBundle.CopyTo(browserBundle, outDir);
        }

        for (var i = 0; i < pages.Count; i++)
        {
            NotebookDocument.WriteAtomically(Path.Combine(outDir, Normalize(pages[i].HtmlFileName)), rendered[i]);
        }

        NotebookDocument.WriteAtomically(Path.Combine(outDir, "index.html"), RenderIndex(pages));
    }

    /// <summary>The HTML of one page, on its own (no previous/next links).</summary>
    /// <exception cref="ArgumentException">The page's file name is not a relative .html path inside the site.</exception>
    /// <exception cref="NotebookFormatException">The notebook is malformed (names the page and cell).</exception>
    public static string RenderPage(SitePage page) => RenderPage(page, previous: null, next: null, runnable: false);

    /// <summary>The HTML of index.html: the course's pages in order, each titled by its notebook's first heading.</summary>
    public static string RenderIndex(IReadOnlyList<SitePage> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var body = new StringBuilder("<h1>Descent — how neural networks are optimised</h1>\n")
            .Append("<p>Every page below was executed from its notebook: each number, check and chart on it was computed when the site was built.</p>\n")
            .Append("<ul class=\"toc\">\n");
        foreach (var page in pages)
        {
            body.Append("<li><a href=\"").Append(Href(page.HtmlFileName)).Append("\">").Append(Html.Escape(TitleOf(page))).Append("</a></li>\n");
        }

        body.Append("</ul>\n");
        return Layout(SiteName, body.ToString(), assetsPrefix: "assets/", withPlotly: false, navigation: string.Empty, runner: string.Empty);
    }

    private static string RenderPage(SitePage page, SitePage? previous, SitePage? next, bool runnable)
    {
        Validate(page);
        var document = NotebookDocument.Parse(page.HtmlFileName, page.ExecutedNotebookJson);
        var depth = Normalize(page.HtmlFileName).Count(c => c == '/');
        var root = string.Concat(Enumerable.Repeat("../", depth));
        var assets = root + "assets/";
        var body = new StringBuilder();
        foreach (var cell in document.Cells)
        {
            switch (cell.CellType)
            {
                case "markdown":
                    body.Append("<section class=\"cell markdown\">").Append(MarkdownRenderer.ToHtml(cell.Source)).Append("</section>\n");
                    break;
                case "code":
                    RenderCode(cell, page.HtmlFileName, assets, runnable ? HeavyCellNote(page, cell.Number) : null, body);
                    break;
                default:
                    body.Append("<section class=\"cell raw\"><pre>").Append(Html.Escape(cell.Source)).Append("</pre></section>\n");
                    break;
            }
        }

        var runner = runnable ? RunnerBar(page, root, assets) : string.Empty;
        // A runnable page loads plotly.js even without a chart of its own: the reader's cells may draw one.
        return Layout(TitleOf(document, page.Title), body.ToString(), assets, runnable || HasChart(document), Navigation(root, previous, next), runner);
    }

    /// <summary>True when an HTML output mentions plotly; only then does the page load the 3.6 MB plotly.js.</summary>
    private static bool HasChart(NotebookDocument document) =>
        document.Cells.Where(c => c.IsCode)
            .SelectMany(c => c.Json["outputs"] as JsonArray ?? [])
            .Select(o => o?["data"]?["text/html"])
            .Any(html => html is not null && OfflinePlotly.Uses(NotebookDocument.JoinSource(html)));

    /// <summary>
    /// A cell that took <see cref="HeavyCell"/> or more when the build ran it: interpreted on WebAssembly, such a cell
    /// takes minutes in a tab (the README lists each chapter's time there), so the page says so beside it.
    /// </summary>
    private static readonly TimeSpan HeavyCell = TimeSpan.FromSeconds(1);

    private static string? HeavyCellNote(SitePage page, int cell) =>
        page.CellTimes is { } times && times.TryGetValue(cell, out var t) && t >= HeavyCell
            ? $"took {t.TotalSeconds:F1} s natively; in a tab it can take minutes"
            : string.Empty;

    // runNote: null for a page without run controls; else what to say beside the cell (may be empty).
    private static void RenderCode(NotebookCell cell, string notebook, string assets, string? runNote, StringBuilder body)
    {
        var runnable = runNote is not null;
        var count = cell.Json["execution_count"] is JsonValue n ? n.ToString() : " ";
        body.Append("<section class=\"cell code\" id=\"cell-").Append(cell.Number).Append("\">")
            .Append("<div class=\"prompt in\">In [").Append(Html.Escape(count)).Append("]:</div>")
            .Append("<pre class=\"source\"><code class=\"language-csharp\">").Append(CSharpHighlighter.ToHtml(cell.Source)).Append("</code></pre>\n");
        if (runnable)
        {
            // The cell's source as the reader edits and runs it; the script adds the buttons.
            if (runNote is { Length: > 0 })
            {
                body.Append("<div class=\"heavy-cell\">").Append(Html.Escape(runNote)).Append("</div>\n");
            }

            body.Append("<textarea class=\"cell-editor\" hidden spellcheck=\"false\" aria-label=\"cell ").Append(cell.Number).Append(" source\">")
                .Append(Html.Escape(cell.Source)).Append("</textarea>\n");
        }

        var outputs = cell.Json["outputs"] as JsonArray;
        if (runnable || outputs is { Count: > 0 })
        {
            body.Append("<div class=\"outputs\">\n");
            foreach (var output in outputs ?? [])
            {
                if (output is not JsonObject o)
                {
                    throw new NotebookFormatException(notebook, $"cell {cell.Number}: an output is not a JSON object");
                }

                OutputRenderer.Render(o, cell, notebook, assets, body);
            }

            body.Append("</div>\n");
        }

        body.Append("</section>\n");
    }

    private static string Navigation(string root, SitePage? previous, SitePage? next)
    {
        var nav = new StringBuilder("<nav class=\"pager\">");
        nav.Append(previous is null ? "<span></span>" : $"<a class=\"prev\" href=\"{root}{Href(previous.HtmlFileName)}\">← {Html.Escape(TitleOf(previous))}</a>");
        nav.Append($"<a class=\"up\" href=\"{root}index.html\">Contents</a>");
        nav.Append(next is null ? "<span></span>" : $"<a class=\"next\" href=\"{root}{Href(next.HtmlFileName)}\">{Html.Escape(TitleOf(next))} →</a>");
        return nav.Append("</nav>\n").ToString();
    }

    /// <summary>The page's run controls; the script fills in the status as the runtime loads.</summary>
    private static string RunnerBar(SitePage page, string root, string assets)
    {
        var native = page.RunTime is { } t ? $" The build ran it natively in {t.TotalSeconds:F1} s." : string.Empty;
        var heavy = page.CellTimes?.Values.Count(v => v >= HeavyCell) ?? 0;
        if (heavy > 0)
        {
            native += $" {heavy} of its cells took {HeavyCell.TotalSeconds:F0} s or more there: .NET runs interpreted in a tab, so each of"
                + " those takes minutes here (marked below); run the others one at a time, or the whole chapter if you can wait.";
        }

        return new StringBuilder("<div class=\"runner\" id=\"descent-runner\">")
            .Append("<button type=\"button\" id=\"descent-run-all\" disabled>Run the chapter</button> ")
            .Append("<button type=\"button\" id=\"descent-stop\" disabled>Stop</button> ")
            .Append("<button type=\"button\" id=\"descent-restart\" disabled>Restart</button> ")
            .Append("<span id=\"descent-status\">Starting C# in this tab…</span>")
            .Append("<p class=\"runner-note\">Every cell can be edited and run here, in your browser (.NET WebAssembly; nothing is sent anywhere).")
            .Append(Html.Escape(native)).Append("</p></div>\n")
            .Append($"<script src=\"{assets}descent-run.js\" data-root=\"{root}\" data-assets=\"{assets}\" defer></script>\n")
            .ToString();
    }

    private static string Layout(string title, string body, string assetsPrefix, bool withPlotly, string navigation, string runner)
    {
        var root = assetsPrefix[..^"assets/".Length];
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Html.Escape(title)).Append("</title>\n")
            .Append($"<link rel=\"stylesheet\" href=\"{assetsPrefix}katex.min.css\">\n")
            .Append($"<link rel=\"stylesheet\" href=\"{assetsPrefix}site.css\">\n");
        if (withPlotly)
        {
            // Before the body: chart scripts run inline while the page parses and expect Plotly (or require) to exist.
            html.Append($"<script src=\"{assetsPrefix}{OfflinePlotly.Script}\"></script>\n")
                .Append($"<script src=\"{assetsPrefix}offline-require.js\"></script>\n");
        }

        return html.Append("</head>\n<body>\n")
            .Append($"<header class=\"site\"><a href=\"{root}index.html\">{SiteName}</a> <span>· how neural networks are optimised</span></header>\n")
            .Append("<main>\n").Append(runner).Append(body).Append(navigation).Append("</main>\n")
            .Append($"<script src=\"{assetsPrefix}katex.min.js\"></script>\n")
            .Append($"<script src=\"{assetsPrefix}auto-render.min.js\"></script>\n")
            .Append("<script>document.querySelectorAll('.cell.markdown, .output .markdown').forEach(function (el) {\n")
            .Append("  renderMathInElement(el, { delimiters: [{left: '\\\\[', right: '\\\\]', display: true}, {left: '\\\\(', right: '\\\\)', display: false}, {left: '$$', right: '$$', display: true}], throwOnError: false });\n")
            .Append("});</script>\n</body>\n</html>\n")
            .ToString();
    }

    private static string TitleOf(SitePage page)
    {
        try
        {
            return TitleOf(NotebookDocument.Parse(page.HtmlFileName, page.ExecutedNotebookJson), page.Title);
        }
        catch (NotebookFormatException)
        {
            return page.Title;
        }
    }

    /// <summary>The notebook's first level-1 markdown heading as plain text, else the given title.</summary>
    private static string TitleOf(NotebookDocument document, string fallback)
    {
        var heading = document.Cells.Where(c => c.CellType == "markdown")
            .SelectMany(c => c.Source.Split('\n'))
            .FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
        var text = heading is null ? string.Empty : MarkdownRenderer.ToPlainText(heading);
        return text.Length > 0 ? text : fallback;
    }

    private static void Validate(SitePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var name = page.HtmlFileName;
        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || !name.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            || Normalize(name).Split('/').Any(s => s is "" or "." or "..") || Normalize(name) is "index.html" || Normalize(name).StartsWith("assets/", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Page '{page.Title}': HtmlFileName '{name}' must be a relative .html path inside the site (not index.html or under assets/).",
                nameof(page));
        }
    }

    private static string Normalize(string fileName) => fileName.Replace('\\', '/');

    private static string Href(string fileName) =>
        string.Join('/', Normalize(fileName).Split('/').Select(Uri.EscapeDataString));

}
