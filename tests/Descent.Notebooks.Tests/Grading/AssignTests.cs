using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Grading;

namespace Descent.Notebooks.Tests.Grading;

public sealed class AssignTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-assign-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Chapters() => [.. Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(f => Path.GetFileName(f)).Order()];

    /// <summary>The lines of model solution (non-blank, not comments) of each solution cell of a chapter.</summary>
    private static int[] SolutionSizes(NotebookDocument source) =>
        [.. source.Cells.Where(c => c.IsCode && NbgraderCell.Of(c.Json) is { Solution: true })
            .Select(c => Exercises.RegionLines(c.Source, Exercises.BeginSolution, Exercises.EndSolution)
                .Count(l => l.Trim().Length > 0 && !l.Trim().StartsWith("//", StringComparison.Ordinal)))];

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Every_chapter_after_the_first_has_a_written_answer_and_an_exercise_that_implements_a_method(string chapter)
    {
        if (chapter.StartsWith("00-", StringComparison.Ordinal))
        {
            return; // Chapter 00 stays light.
        }

        var source = NotebookDocument.Load(Path.Combine(Repo.Notebooks, chapter));
        var written = source.Cells.Where(c => NbgraderCell.Of(c.Json) is { IsManual: true }).ToArray();
        Assert.Single(written);
        Assert.Equal("markdown", written[0].CellType);
        Assert.True(NbgraderCell.Of(written[0].Json)!.Points > 0);
        Assert.Contains(SolutionSizes(source), lines => lines >= 6);
    }

    [Fact]
    public void A_student_version_ends_with_the_self_check_cell_and_grading_skips_it()
    {
        var chapter = Path.Combine(Repo.Notebooks, "04-momentum-and-nesterov.ipynb");
        var student = NotebookDocument.Parse("student.ipynb", NotebookDocument.Serialize(Exercises.StudentVersion(NotebookDocument.Load(chapter))));
        var last = student.Cells[^1];
        Assert.True(Exercises.IsSelfCheck(last.Json));
        Assert.Contains("Descent.SelfCheck.Run(\"04-momentum-and-nesterov.ipynb\")", last.Source);
        var (merged, _) = SubmissionMerge.Merge(NotebookDocument.Load(chapter), student);
        Assert.DoesNotContain(merged["cells"]!.AsArray(), c => Exercises.IsSelfCheck(c!.AsObject()));
    }

    [Fact]
    public void The_course_has_at_least_twelve_implement_exercises_of_six_lines_or_more_and_eleven_written_answers()
    {
        var chapters = Directory.GetFiles(Repo.Notebooks, "*.ipynb").Select(NotebookDocument.Load).ToArray();
        Assert.True(chapters.Sum(c => SolutionSizes(c).Count(n => n >= 6)) >= 12);
        Assert.Equal(11, chapters.Sum(c => c.Cells.Count(x => NbgraderCell.Of(x.Json) is { IsManual: true })));
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Every_chapter_ends_with_exercises_and_its_student_version_has_no_solution_or_hidden_test(string chapter)
    {
        var source = NotebookDocument.Load(Path.Combine(Repo.Notebooks, chapter));
        Assert.Empty(Exercises.Validate(source));
        var tests = source.Cells.Select(c => NbgraderCell.Of(c.Json)).Where(n => n is { Grade: true }).ToArray();
        Assert.InRange(tests.Length, 2, 4);
        Assert.Contains(source.Cells, c => c.CellType == "markdown" && c.Source.Contains("## Exercises", StringComparison.Ordinal));

        var log = new StringWriter();
        Assert.Equal(0, AssignCommand.Execute([Path.Combine(Repo.Notebooks, chapter)], _dir, log));
        var student = File.ReadAllText(Path.Combine(_dir, chapter));
        var hidden = source.Cells.SelectMany(c => Exercises.RegionLines(c.Source, Exercises.BeginSolution, Exercises.EndSolution)
            .Concat(Exercises.RegionLines(c.Source, Exercises.BeginHidden, Exercises.EndHidden)))
            .Select(l => l.Trim()).Where(l => l.Length > 12).ToArray();
        Assert.NotEmpty(hidden);
        var studentDoc = NotebookDocument.Load(Path.Combine(_dir, chapter));
        // The exercise cells of the student version (a chapter may repeat a helper line elsewhere, e.g. a Median function).
        var studentText = string.Join("\n", studentDoc.Cells.Where(c => NbgraderCell.Of(c.Json) is not null).Select(c => c.Source));
        foreach (var line in hidden)
        {
            Assert.DoesNotContain(line, studentText);
        }

        Assert.DoesNotContain("BEGIN SOLUTION", student);
        Assert.DoesNotContain("HIDDEN TESTS", student);
        Assert.All(studentDoc.Cells.Where(c => c.IsCode), c => Assert.Empty(c.Json["outputs"]!.AsArray()));
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Every_test_cell_calls_code_the_student_writes_so_an_untouched_student_version_earns_nothing(string chapter)
    {
        var source = NotebookDocument.Load(Path.Combine(Repo.Notebooks, chapter));
        // The names a solution cell declares: its local functions (e.g. "double Twice(double x)").
        var declared = source.Cells.Where(c => c.IsCode && NbgraderCell.Of(c.Json) is { Solution: true })
            .SelectMany(c => System.Text.RegularExpressions.Regex.Matches(c.Source, @"^[\w<>\[\](),?. ]+?\s(\w+)\s*\(", System.Text.RegularExpressions.RegexOptions.Multiline))
            .Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(declared);
        // Written answers (graded markdown cells) are marked by hand and call nothing.
        foreach (var test in source.Cells.Where(c => c.IsCode && NbgraderCell.Of(c.Json) is { Grade: true }))
        {
            var visible = string.Join("\n", test.Source.Split('\n').TakeWhile(l => l.Trim() != Exercises.BeginHidden));
            Assert.True(declared.Any(name => visible.Contains(name + "(", StringComparison.Ordinal)),
                $"{chapter}, cell {test.Number}: the visible test calls none of {string.Join(", ", declared)}");
        }
    }

    [Theory]
    [InlineData("// BEGIN SOLUTION\nreturn 1;", "solution", "'// BEGIN SOLUTION' is never closed")]
    [InlineData("return 1;\n// END SOLUTION", "solution", "line 2: '// END SOLUTION' without a '// BEGIN SOLUTION'")]
    [InlineData("// BEGIN HIDDEN TESTS\nx();\n// END HIDDEN TESTS", "solution", "only allowed in a graded test cell")]
    public void Unbalanced_or_misplaced_markers_are_refused_naming_notebook_and_cell(string source, string role, string message)
    {
        var path = Write("bad.ipynb", ("markdown", "# t", null), ("code", source, Meta("ex1", role)));
        var log = new StringWriter();
        Assert.Equal(2, AssignCommand.Execute([path], Path.Combine(_dir, "out"), log));
        Assert.Contains($"{path}, cell 2 (ex1): ", log.ToString());
        Assert.Contains(message, log.ToString());
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Duplicate_grade_ids_are_refused()
    {
        var path = Write("dup.ipynb", ("code", "var a = 1;", Meta("same", "solution")), ("code", "Check.That(a == 1, \"a\");", Meta("same", "test")));
        var log = new StringWriter();
        Assert.Equal(2, AssignCommand.Execute([path], Path.Combine(_dir, "out"), log));
        Assert.Contains($"{path}, cell 2 (same): duplicate grade_id 'same' (also cell 1).", log.ToString());
    }

    [Fact]
    public void A_graded_cell_without_points_is_refused_and_sources_are_never_overwritten()
    {
        var meta = Meta("t", "test");
        meta.Remove("points");
        var path = Write("nopoints.ipynb", ("code", "1", meta));
        var log = new StringWriter();
        Assert.Equal(2, AssignCommand.Execute([path], _dir, log));
        Assert.Contains("needs \"points\"", log.ToString());
        var ok = Write("ok.ipynb", ("code", "1", null));
        Assert.Equal(2, AssignCommand.Execute([ok], _dir, log = new StringWriter()));
        Assert.Contains("is a source notebook", log.ToString());
    }

    private static JsonObject Meta(string id, string role) => role switch
    {
        "solution" => new JsonObject { ["grade"] = false, ["grade_id"] = id, ["locked"] = false, ["schema_version"] = 3, ["solution"] = true },
        _ => new JsonObject { ["grade"] = true, ["grade_id"] = id, ["locked"] = true, ["points"] = 1, ["schema_version"] = 3, ["solution"] = false },
    };

    private string Write(string name, params (string Type, string Source, JsonObject? Nbgrader)[] cells)
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)(c.Type == "code"
                ? GradedSubmissions.Code(c.Source, c.Nbgrader)
                : new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = c.Source })).ToArray()),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, NotebookDocument.Serialize(root));
        return path;
    }
}
