using System.Text.RegularExpressions;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Site;
using static Descent.Notebooks.Tests.Site.ExecutedNotebook;

namespace Descent.Notebooks.Tests.Site;

/// <summary>What <see cref="SiteWriter.Write"/> puts on disk: pages, index, assets; atomically.</summary>
public sealed partial class SiteWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-site-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SitePage Page(string title, string file, string heading) =>
        new(title, file, new ExecutedNotebook().Markdown($"# {heading}\n\nText.").Code("1", Result(("text/plain", "1"))).ToJson());

    [Fact]
    public void Index_links_every_page_in_order_titled_by_its_heading()
    {
        SiteWriter.Write(_dir, [Page("b", "02-b.html", "02 · Second"), Page("a", "01 a.html", "01 · First & best"), Page("c", "sub/03-c.html", "03 · Third")]);

        var index = File.ReadAllText(Path.Combine(_dir, "index.html"));
        var links = Link().Matches(index).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToArray();
        Assert.Equal([("02-b.html", "02 · Second"), ("01%20a.html", "01 · First &amp; best"), ("sub/03-c.html", "03 · Third")], links);
        Assert.True(File.Exists(Path.Combine(_dir, "01 a.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "sub", "03-c.html")));
    }

    [Fact]
    public void Pages_link_to_their_neighbours_and_the_contents()
    {
        SiteWriter.Write(_dir, [Page("a", "01.html", "One"), Page("b", "02.html", "Two"), Page("c", "03.html", "Three")]);

        var middle = File.ReadAllText(Path.Combine(_dir, "02.html"));
        Assert.Contains("<a class=\"prev\" href=\"01.html\">← One</a>", middle);
        Assert.Contains("<a class=\"next\" href=\"03.html\">Three →</a>", middle);
        Assert.Contains("<a class=\"up\" href=\"index.html\">Contents</a>", middle);
        Assert.DoesNotContain("class=\"prev\"", File.ReadAllText(Path.Combine(_dir, "01.html")));
    }

    [Fact]
    public void Assets_include_plotly_katex_every_font_the_stylesheet_names_and_the_licenses()
    {
        SiteWriter.Write(_dir, [Page("a", "a.html", "A")]);

        var assets = Path.Combine(_dir, "assets");
        foreach (var file in new[] { "plotly.min.js", "katex.min.js", "katex.min.css", "auto-render.min.js", "offline-require.js", "site.css", "LICENSE.katex.txt", "LICENSE.plotly.js.txt" })
        {
            Assert.True(new FileInfo(Path.Combine(assets, file)) is { Exists: true, Length: > 0 }, $"assets/{file} is missing or empty");
        }

        Assert.StartsWith("/**\n* plotly.js v2.", File.ReadAllText(Path.Combine(assets, "plotly.min.js"))[..40]);
        var fonts = Woff2().Matches(File.ReadAllText(Path.Combine(assets, "katex.min.css"))).Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.Equal(20, fonts.Length);
        Assert.All(fonts, font => Assert.True(File.Exists(Path.Combine(assets, "fonts", font)), $"assets/fonts/{font} is missing"));
    }

    [Fact]
    public void Writing_again_replaces_every_file_and_leaves_no_temporary_files()
    {
        File.WriteAllText(Path.Combine(_dir, "a.html"), "stale");
        Directory.CreateDirectory(Path.Combine(_dir, "assets"));
        File.WriteAllText(Path.Combine(_dir, "assets", "site.css"), "stale");

        SiteWriter.Write(_dir, [Page("a", "a.html", "Fresh")]);
        SiteWriter.Write(_dir, [Page("a", "a.html", "Fresh")]);

        Assert.Contains("<title>Fresh</title>", File.ReadAllText(Path.Combine(_dir, "a.html")));
        Assert.NotEqual("stale", File.ReadAllText(Path.Combine(_dir, "assets", "site.css")));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_malformed_notebook_fails_before_anything_is_written()
    {
        var pages = new[] { Page("a", "a.html", "A"), new SitePage("broken", "broken.html", "{ \"cells\": 3 }") };

        var error = Assert.Throws<NotebookFormatException>(() => SiteWriter.Write(_dir, pages));

        Assert.Contains("broken.html", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Two_pages_with_one_file_name_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => SiteWriter.Write(_dir, [Page("a", "x.html", "A"), Page("b", "X.html", "B")]));

        Assert.Equal("pages", error.ParamName);
        Assert.Contains("x.html", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("<li><a href=\"([^\"]*)\">([^<]*)</a></li>")]
    private static partial Regex Link();

    [GeneratedRegex(@"url\(fonts/([^)]+\.woff2)\)")]
    private static partial Regex Woff2();
}
