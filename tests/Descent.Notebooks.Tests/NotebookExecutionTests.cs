using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;

namespace Descent.Notebooks.Tests;

/// <summary>
/// One test per notebook under notebooks/ (discovered, so a new chapter is tested without code changes), plus the
/// sample notebook that proves the path. Each runs the notebook and fails with the runner's error.
/// </summary>
public class NotebookExecutionTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in CourseNotebooks().Append(Path.Combine(Repo.Samples, "sample.ipynb")))
        {
            data.Add(Path.GetRelativePath(Repo.Root, path));
        }

        return data;
    }

    private static IEnumerable<string> CourseNotebooks() =>
        Directory.Exists(Repo.Notebooks)
            ? Directory.GetFiles(Repo.Notebooks, "*.ipynb", SearchOption.AllDirectories)
                .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_without_error(string relativePath)
    {
        var path = Path.Combine(Repo.Root, relativePath);
        var before = await File.ReadAllBytesAsync(path);
        var result = await NotebookRunner.RunAsync(path, TimeSpan.FromSeconds(300));
        AssertRanEveryCell(result);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    /// <summary>
    /// What an execution test requires: the run reports no failure, and the executed copy shows every code cell run,
    /// in order, with no error output — so a notebook whose process ended early cannot pass.
    /// </summary>
    internal static void AssertRanEveryCell(NotebookRunResult result)
    {
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var code = result.Executed["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToArray();
        for (var i = 0; i < code.Length; i++)
        {
            Assert.True(code[i]!["execution_count"]?.GetValue<int>() == i + 1, $"{result.Path}: code cell {i + 1} of {code.Length} did not run.");
            Assert.True(
                code[i]!["outputs"]!.AsArray().All(o => (string?)o!["output_type"] != "error"),
                $"{result.Path}: code cell {i + 1} has an error output.");
        }
    }

    [Fact]
    public async Task The_execution_test_fails_a_notebook_that_ends_its_process_before_its_last_cell()
    {
        var folder = Directory.CreateTempSubdirectory("descent-exit-").FullName;
        try
        {
            var path = Path.Combine(folder, "exits.ipynb");
            File.WriteAllText(path, NotebookDocument.Serialize(Notebook("Environment.Exit(0);", "1 + 1")));
            var result = await NotebookRunner.RunAsync(path, TimeSpan.FromSeconds(120));
            var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertRanEveryCell(result));
            Assert.Contains("cell 1 called Environment.Exit(0)", failure.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_execution_rule_rejects_a_run_that_reports_success_but_skipped_a_cell()
    {
        var executed = Notebook("1", "2");
        executed["cells"]![0]!["execution_count"] = 1;
        var result = new NotebookRunResult("skipped.ipynb", executed, null, TimeSpan.Zero, new Dictionary<int, TimeSpan>());
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertRanEveryCell(result));
        Assert.Contains("code cell 2 of 2 did not run", failure.Message);
    }

    private static JsonObject Notebook(params string[] sources) => new()
    {
        ["cells"] = new JsonArray([.. sources.Select(source => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(),
            ["source"] = source,
        })]),
        ["metadata"] = new JsonObject(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_metadata_names_the_course_kernel_and_polyglot_csharp(string relativePath)
    {
        var doc = NotebookDocument.Load(Path.Combine(Repo.Root, relativePath));
        var meta = doc.Root["metadata"]!;
        Assert.Equal("descent-csharp", (string?)meta["kernelspec"]?["name"]);
        Assert.Equal("C# (Descent)", (string?)meta["kernelspec"]?["display_name"]);
        Assert.Equal("C#", (string?)meta["kernelspec"]?["language"]);
        Assert.Equal("C#", (string?)meta["language_info"]?["name"]);
        Assert.Equal(".cs", (string?)meta["language_info"]?["file_extension"]);
        Assert.Equal("csharp", (string?)meta["language_info"]?["pygments_lexer"]);
        Assert.Equal("text/x-csharp", (string?)meta["language_info"]?["mimetype"]);
        Assert.Equal("csharp", (string?)meta["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]);
        foreach (var cell in doc.Cells.Where(c => c.IsCode))
        {
            Assert.True((string?)cell.Json["metadata"]?["polyglot_notebook"]?["kernelName"] == "csharp",
                $"{relativePath}: cell {cell.Number} has no polyglot_notebook.kernelName \"csharp\".");
            Assert.True((string?)cell.Json["metadata"]?["dotnet_interactive"]?["language"] == "csharp",
                $"{relativePath}: cell {cell.Number} has no dotnet_interactive.language \"csharp\".");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_notebook_carries_no_outputs_and_one_line_per_source_element(string relativePath)
    {
        var doc = NotebookDocument.Load(Path.Combine(Repo.Root, relativePath));
        foreach (var cell in doc.Cells)
        {
            if (cell.IsCode)
            {
                Assert.True(cell.Json["outputs"] is JsonArray { Count: 0 }, $"{relativePath}: cell {cell.Number} has outputs.");
                Assert.True(cell.Json["execution_count"] is null, $"{relativePath}: cell {cell.Number} has an execution count.");
            }

            if (cell.Json["source"] is JsonArray lines)
            {
                for (var i = 0; i < lines.Count - 1; i++)
                {
                    var line = (string)lines[i]!;
                    Assert.True(line.EndsWith('\n') && line.IndexOf('\n') == line.Length - 1,
                        $"{relativePath}: cell {cell.Number} source element {i} is not exactly one line.");
                }
            }
        }
    }
}
