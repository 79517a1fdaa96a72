using System.Net;
using System.Text.RegularExpressions;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Site;
using static Descent.Notebooks.Tests.Site.ExecutedNotebook;

namespace Descent.Notebooks.Tests.Site;

/// <summary>How executed notebooks become HTML: outputs, escaping, math, charts' plotly references, titles.</summary>
public sealed partial class SiteRenderingTests
{
    private static string Render(ExecutedNotebook notebook, string fileName = "page.html") =>
        SiteWriter.RenderPage(new SitePage("Fallback title", fileName, notebook.ToJson()));

    [Theory]
    [InlineData("03-learning-rate-schedules.ipynb", "03-learning-rate-schedules.html")]
    [InlineData("07-adamw.ipynb#a-live-grid", "07-adamw.html#a-live-grid")]
    [InlineData("https://example.org/x.ipynb", "https://example.org/x.ipynb")]
    [InlineData("../data/README.md", "../data/README.md")]
    [InlineData("#summary", "#summary")]
    public void Links_to_other_notebooks_point_at_their_site_pages(string url, string expected)
    {
        Assert.Equal(expected, MarkdownRenderer.SitePageUrl(url));
        Assert.Contains($"href=\"{expected}\"", MarkdownRenderer.ToHtml($"see [it]({url})"));
    }

    [Fact]
    public void Stream_text_is_escaped_not_interpreted()
    {
        var html = Render(new ExecutedNotebook().Code("Console.WriteLine(x);", Stream("stdout", "<script>alert(1)</script> & \"q\"\n")));

        Assert.Contains("<div class=\"output stream stdout\"><pre>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;\n</pre>", html);
        Assert.DoesNotContain("<script>alert(1)", html);
    }

    [Fact]
    public void Stderr_is_marked_as_such()
    {
        var html = Render(new ExecutedNotebook().Code("Console.Error.WriteLine(1);", Stream("stderr", "warning: slow\n")));

        Assert.Contains("<div class=\"output stream stderr\"><pre>warning: slow\n</pre>", html);
    }

    [Fact]
    public void Error_output_shows_name_value_and_traceback_without_terminal_colours()
    {
        var html = Render(new ExecutedNotebook().Code("1 / zero",
            Error("System.DivideByZeroException", "Attempted to divide by <zero>.", "\u001b[0;31mSystem.DivideByZeroException\u001b[0m: Attempted", "   at Submission#2.<<Initialize>>d__0.MoveNext()")));

        Assert.Contains("<span class=\"ename\">System.DivideByZeroException</span>", html);
        Assert.Contains("<span class=\"evalue\">Attempted to divide by &lt;zero&gt;.</span>", html);
        Assert.Contains("<pre class=\"traceback\">System.DivideByZeroException: Attempted\n   at Submission#2.&lt;&lt;Initialize&gt;&gt;d__0.MoveNext()</pre>", html);
        Assert.DoesNotContain("\u001b", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_without_traceback_has_no_empty_traceback_block()
    {
        var html = Render(new ExecutedNotebook().Code("x", Error("CompilationError", "(1,1): error CS0103: The name 'x' does not exist")));

        Assert.Contains("error CS0103", html);
        Assert.DoesNotContain("class=\"traceback\"", html);
    }

    [Fact]
    public void Html_is_chosen_over_plain_text_and_results_carry_their_count()
    {
        var html = Render(new ExecutedNotebook()
            .Code("a")
            .Code("table", Result(("text/plain", "PLAIN VERSION"), ("text/html", "<table><tr><td>rich</td></tr></table>"))));

        Assert.Contains("<table><tr><td>rich</td></tr></table>", html);
        Assert.DoesNotContain("PLAIN VERSION", html);
        Assert.Contains("In [2]:", html);
        Assert.Contains("Out[2]:", html);
    }

    [Fact]
    public void Plain_text_results_are_escaped()
    {
        var html = Render(new ExecutedNotebook().Code("new List<int>()", Result(("text/plain", "List<int> [ 1, 2 ]"))));

        Assert.Contains("<pre>List&lt;int&gt; [ 1, 2 ]</pre>", html);
    }

    [Fact]
    public void Png_output_becomes_an_inline_image()
    {
        const string png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        var html = Render(new ExecutedNotebook().Code("img", Display(("image/png", png + "\n"), ("text/plain", "<image>"))));

        Assert.Contains($"<img alt=\"cell 1 output\" src=\"data:image/png;base64,{png}\">", html);
    }

    [Fact]
    public void Png_output_that_is_not_base64_names_the_cell()
    {
        var notebook = new ExecutedNotebook().Markdown("# T").Code("img", Display(("image/png", "\" onerror=\"alert(1)")));

        var error = Assert.Throws<NotebookFormatException>(() => Render(notebook, "ch/bad.html"));
        Assert.Contains("ch/bad.html", error.Message);
        Assert.Contains("cell 2", error.Message);
        Assert.Contains("image/png", error.Message);
    }

    [Fact]
    public void Unknown_output_type_names_the_cell_and_type()
    {
        var notebook = new ExecutedNotebook().Code("x", new System.Text.Json.Nodes.JsonObject { ["output_type"] = "telepathy" });

        var error = Assert.Throws<NotebookFormatException>(() => Render(notebook));
        Assert.Contains("cell 1", error.Message);
        Assert.Contains("'telepathy'", error.Message);
    }

    [Fact]
    public void Math_survives_markdown_for_katex_and_pipe_tables_render()
    {
        var html = Render(new ExecutedNotebook().Markdown(
            "Step $\\theta_{t+1} = \\theta_t - \\eta g_t$ with *emphasis* and $a < b$.\n\n$$\\hat m_t = \\frac{m_t}{1-\\beta_1^t}$$\n\n$$\n\\hat v_t = v_t\n$$\n\n| η | loss |\n|---|---|\n| 0.1 | 2.5 |\n"));

        Assert.Contains("<span class=\"math\">\\(\\theta_{t+1} = \\theta_t - \\eta g_t\\)</span>", html);
        Assert.Contains("<span class=\"math\">\\(a &lt; b\\)</span>", html);
        Assert.Contains("<span class=\"math display\">\\[\\hat m_t = \\frac{m_t}{1-\\beta_1^t}\\]</span>", html);
        Assert.Contains("<div class=\"math\">\n\\[\n\\hat v_t = v_t\n\\]</div>", html);
        Assert.Contains("<td>0.1</td>", html);
        Assert.Contains("renderMathInElement", html);
    }

    [Fact]
    public void Code_source_is_highlighted_and_escaped_but_keeps_its_text()
    {
        const string source = "#r \"nuget: Plotly.NET, 6.0.0\"\n// a <comment>\nvar xs = new List<double> { 1.5, 2 };\nConsole.WriteLine($\"n = {xs.Count}\");";
        var html = Render(new ExecutedNotebook().Code(source));

        var code = CodeBlock().Match(html).Groups[1].Value;
        Assert.Equal(source, WebUtility.HtmlDecode(Tags().Replace(code, string.Empty)));
        Assert.Contains("<span class=\"tok-directive\">#r &quot;nuget: Plotly.NET, 6.0.0&quot;\n</span>", code);
        Assert.Contains("<span class=\"tok-comment\">// a &lt;comment&gt;</span>", code);
        Assert.Contains("<span class=\"tok-keyword\">var</span>", code);
        Assert.Contains("<span class=\"tok-keyword\">new</span>", code);
        Assert.Contains("<span class=\"tok-number\">1.5</span>", code);
    }

    [Fact]
    public void Cdn_plotly_references_point_at_the_local_copy()
    {
        var chart = "<div id=\"c\"></div><script src=\"https://cdn.plot.ly/plotly-2.27.1.min.js\" charset=\"utf-8\"></script>"
            + "<script>requirejs.config({context:'fsharp-plotly',paths:{plotly:'https://cdn.plot.ly/plotly-2.27.1.min'}});"
            + "var s = document.createElement('script'); s.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js';</script>";
        var html = Render(new ExecutedNotebook().Code("chart", Display(("text/html", chart))), "chapters/one.html");

        Assert.DoesNotContain("cdn.plot.ly", html);
        Assert.Contains("paths:{plotly:'../assets/plotly.min'}", html);
        Assert.Contains("s.src = '../assets/plotly.min.js'", html);
        Assert.Contains("<script src=\"../assets/plotly.min.js\"></script>\n<script src=\"../assets/offline-require.js\"></script>", html);
        Assert.Contains("href=\"../index.html\"", html);
    }

    [Fact]
    public void Pages_without_charts_do_not_load_plotly()
    {
        var html = Render(new ExecutedNotebook().Markdown("# Just prose").Code("#r \"nuget: Plotly.NET, 6.0.0\"\n1 + 1", Result(("text/plain", "2"))));

        Assert.DoesNotContain("plotly.min.js", html);
        Assert.Contains("<script src=\"assets/katex.min.js\"></script>", html);
    }

    [Fact]
    public void Page_title_is_the_first_heading_as_plain_text_else_the_given_title()
    {
        var titled = Render(new ExecutedNotebook().Markdown("Intro.\n\n# 01 · Gradient *descent*\n\n## Not this"));
        var untitled = Render(new ExecutedNotebook().Markdown("## Only a subheading"));

        Assert.Contains("<title>01 · Gradient descent</title>", titled);
        Assert.Contains("<title>Fallback title</title>", untitled);
    }

    [Theory]
    [InlineData("../escape.html")]
    [InlineData("/abs/page.html")]
    [InlineData("page.txt")]
    [InlineData("index.html")]
    [InlineData("assets/page.html")]
    [InlineData("")]
    public void A_page_file_name_outside_the_site_is_rejected_by_name(string fileName)
    {
        var error = Assert.Throws<ArgumentException>(() => SiteWriter.RenderPage(new SitePage("T", fileName, new ExecutedNotebook().ToJson())));

        Assert.Equal("page", error.ParamName);
        Assert.Contains($"'{fileName}'", error.Message);
    }

    [GeneratedRegex("<code class=\"language-csharp\">(.*?)</code>", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
