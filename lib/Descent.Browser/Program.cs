using System.Reflection;
using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Run;
using Descent.Notebooks.Site;

[assembly: SupportedOSPlatform("browser")]

namespace Descent.Browser;

/// <summary>The app's entry point: nothing runs until the page's worker calls <see cref="CourseRuntime"/>.</summary>
public static class Program
{
    /// <summary>Does nothing; the runtime stays up for the worker's calls.</summary>
    public static void Main()
    {
    }
}

/// <summary>What the page's Web Worker calls: start a session, run a cell, start over.</summary>
public static partial class CourseRuntime
{
    /// <summary>Where a chapter's cells run: its data files sit in ../data, as in the repository.</summary>
    public const string NotebookFolder = "/course/notebooks";

    private static BrowserReferences? s_references;
    private static BrowserSession? s_session;
    private static int s_executionCount;

    /// <summary>Fetches the framework's references, writes the course data and starts a session; returns how long that took.</summary>
    /// <param name="referencePackUrl">The absolute URL of the reference pack's zip.</param>
    [JSExport]
    public static async Task<string> StartAsync(string referencePackUrl)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (s_references is null)
        {
            using var http = new HttpClient();
            using var zip = new MemoryStream(await http.GetByteArrayAsync(referencePackUrl));
            s_references = BrowserReferences.FromReferencePack(zip);
            WriteCourseData();
        }

        Reset();
        return new JsonObject { ["milliseconds"] = clock.Elapsed.TotalMilliseconds, ["references"] = s_references.Framework.Length }.ToJsonString();
    }

    /// <summary>Forgets every variable: the next cell starts a fresh session, as a kernel restart does.</summary>
    [JSExport]
    public static void Reset()
    {
        s_session = new BrowserSession(s_references ?? throw new InvalidOperationException("StartAsync has not been called."));
        s_executionCount = 0;
        Directory.SetCurrentDirectory(NotebookFolder);
    }

    /// <summary>
    /// Runs one cell and returns JSON: <c>ok</c>, <c>outputs</c> (nbformat), <c>html</c> (the outputs as the site renders
    /// them), <c>error</c> (name, message, the cell's line), <c>executionCount</c> and <c>milliseconds</c>.
    /// </summary>
    /// <param name="code">The cell's source.</param>
    /// <param name="cellNumber">The cell's 1-based number on the page (for messages).</param>
    /// <param name="assetsPrefix">The page's relative path to the site's assets (for plotly.js).</param>
    [JSExport]
    public static async Task<string> RunCellAsync(string code, int cellNumber, string assetsPrefix)
    {
        var session = s_session ?? throw new InvalidOperationException("StartAsync has not been called.");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var count = ++s_executionCount;
        SubmissionResult result;
        try
        {
            result = await session.SubmitAsync(code);
        }
        catch (Exception exception)
        {
            var error = new ErrorOutput("BrowserError", exception.Message, exception.ToString().Split('\n'));
            result = new SubmissionResult([error], error);
        }

        var outputs = JupyterOutputs.ToJson(result.Outputs, count);
        var html = new StringBuilder();
        var cell = new NotebookCell(cellNumber, "code", code, new JsonObject());
        foreach (var output in outputs)
        {
            OutputRenderer.Render(output!.AsObject(), cell, "this page", assetsPrefix, html);
        }

        return new JsonObject
        {
            ["ok"] = result.Error is null,
            ["executionCount"] = count,
            ["outputs"] = outputs,
            ["html"] = html.ToString(),
            ["error"] = result.Error is { } e ? new JsonObject { ["name"] = e.Name, ["message"] = e.Value, ["line"] = e.Line } : null,
            ["milliseconds"] = clock.Elapsed.TotalMilliseconds,
        }.ToJsonString();
    }

    /// <summary>The C# source as the site highlights it (for a cell the reader edited).</summary>
    /// <param name="code">The cell's source.</param>
    [JSExport]
    public static string Highlight(string code) => CSharpHighlighter.ToHtml(code);

    private static void WriteCourseData()
    {
        const string prefix = "Descent.Browser.data.";
        var assembly = Assembly.GetExecutingAssembly();
        var data = Path.Combine(Path.GetDirectoryName(NotebookFolder)!, "data");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(NotebookFolder);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var resource = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(Path.Combine(data, name[prefix.Length..]));
            resource.CopyTo(file);
        }
    }
}
