using System.Text.Json.Nodes;
using Descent.Notebooks.Grading;
using Descent.Notebooks.Notebooks;

namespace Descent.Notebooks.Tests.Grading;

/// <summary>
/// Builds the student version of Grading/assignment.ipynb, a set of submissions (solved, blank, partial, broken in every
/// way the issue lists), grades them all in one run (a process per submission) and keeps the reports.
/// </summary>
public sealed class GradedSubmissions : IDisposable
{
    public GradedSubmissions()
    {
        Directory.CreateDirectory(Submissions);
        Assert.Equal(0, AssignCommand.Execute([Source], Release, TextWriter.Null));
        var student = NotebookDocument.Load(Path.Combine(Release, "assignment.ipynb"));
        var instructor = NotebookDocument.Load(Source);
        Submit("instructor", instructor.Root);
        Submit("blank", student.Root);
        Submit("partial", WithSolution(student.Root, "ex1", "return x + x;"));
        Submit("compile-error", WithSolution(WithSolution(student.Root, "ex1", "return x +;"), "ex2", "return x * x + offset;"));
        Submit("throws", WithSolution(WithSolution(student.Root, "ex1", "return 2 * x;"), "ex2", "throw new InvalidOperationException(\"oops\");"));
        Submit("endless-loop", WithSolution(WithSolution(student.Root, "ex1", "while (true) { }"), "ex2", "return x * x + offset;"));
        Submit("hard-coded", WithSolution(WithSolution(student.Root, "ex1", "return 6;"), "ex2", "return 5;"));
        Submit("tampered", Edit(WithSolution(student.Root, "ex1", "return 0;"), cells => SetSource(cells, "ex1-test", "Check.That(true, \"always\");")));
        Submit("deleted-test-cell", Edit(WithSolution(WithSolution(student.Root, "ex1", "return 2 * x;"), "ex2", "return x * x + offset;"), cells => Remove(cells, "ex2-test")));
        Submit("deleted-solution-cell", Edit(WithSolution(student.Root, "ex2", "return x * x + offset;"), cells => Remove(cells, "ex1")));
        Submit("reordered-and-extra", Edit(instructor.Root, cells =>
        {
            // Move exercise 2 (markdown, solution, test) before exercise 1 and add the student's own cell.
            var ex2 = cells.Skip(cells.Count - 3).ToArray();
            foreach (var c in ex2) cells.Remove(c);
            for (var i = 0; i < ex2.Length; i++) cells.Insert(3 + i, ex2[i]);
            cells.Add(Code("Console.WriteLine(\"my own check\");", null));
        }));
        Submit("blocks", WithSolution(WithSolution(student.Root, "ex1", "return 2 * x;"), "ex2", "System.Threading.Thread.Sleep(-1); return 0;"));
        Submit("never-exits", WithSolution(WithSolution(student.Root, "ex1", "return 2 * x;"), "ex2",
            "new System.Threading.Thread(() => { while (true) { } }).Start();\n    return x * x + offset;"));
        Submit("blocks-first", WithSolution(WithSolution(student.Root, "ex1", "System.Threading.Thread.Sleep(-1); return 0;"), "ex2", "return x * x + offset;"));
        Submit("stack-overflow", WithSolution(WithSolution(student.Root, "ex1", "return Twice(x) + 1;"), "ex2", "return x * x + offset;"));
        Submit("exits", WithSolution(WithSolution(student.Root, "ex1", "Environment.Exit(3); return 0;"), "ex2", "return x * x + offset;"));
        File.WriteAllText(Path.Combine(Submissions, "malformed", "assignment.ipynb"), "{ \"cells\": [ {,");
        Submit("shadows-check", Edit(WithSolution(student.Root, "ex2", "return x * x + offset;"), cells => SetSource(cells, "ex1",
            "static class Check { public static void Close(double a, double b, double t, string m) { } public static void That(bool c, string m) { } }\n"
            + "double Twice(double x) => 0;")));
        // Valid JSON of the wrong shape inside: a number as a cell's source, an array as a cell's metadata.
        Submit("wrong-types", Edit(student.Root, cells =>
        {
            cells[0]!["source"] = 42;
            cells[1]!["metadata"] = new JsonArray(1, 2);
        }));
        var log = new StringWriter();
        ExitCode = Grader.ExecuteAsync([Submissions], Source, Out, timeoutSeconds: 45, cellTimeoutSeconds: 15, log).GetAwaiter().GetResult();
        Log = log.ToString();
    }

    public static string Source => Path.Combine(Repo.Root, "tests", "Descent.Notebooks.Tests", "Grading", "assignment.ipynb");

    public string Dir { get; } = Directory.CreateTempSubdirectory("descent-grading-").FullName;

    public string Release => Path.Combine(Dir, "release");

    public string Submissions => Path.Combine(Dir, "submissions");

    public string Out => Path.Combine(Dir, "grades");

    public int ExitCode { get; }

    public string Log { get; }

    public JsonNode Report(string student) => JsonNode.Parse(File.ReadAllText(Path.Combine(Out, student, "assignment.json")))!;

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    internal static JsonObject Code(string source, JsonObject? nbgrader) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = nbgrader is null ? new JsonObject() : new JsonObject { ["nbgrader"] = nbgrader },
        ["outputs"] = new JsonArray(),
        ["source"] = NotebookDocument.SplitLines(source),
    };

    private void Submit(string student, JsonObject root)
    {
        Directory.CreateDirectory(Path.Combine(Submissions, student));
        File.WriteAllText(Path.Combine(Submissions, student, "assignment.ipynb"), NotebookDocument.Serialize(root));
        Directory.CreateDirectory(Path.Combine(Submissions, "malformed"));
    }

    private static JsonObject Edit(JsonObject root, Action<List<JsonNode>> edit)
    {
        var copy = (JsonObject)root.DeepClone();
        var cells = copy["cells"]!.AsArray().Select(c => c!.DeepClone()).ToList();
        edit(cells);
        copy["cells"] = new JsonArray(cells.ToArray());
        return copy;
    }

    private static JsonObject WithSolution(JsonObject root, string gradeId, string body) => Edit(root, cells =>
    {
        var cell = cells.Single(c => (string?)c!["metadata"]?["nbgrader"]?["grade_id"] == gradeId)!;
        var text = NotebookDocument.JoinSource(cell["source"]).Replace("throw new NotImplementedException();", body, StringComparison.Ordinal);
        cell["source"] = NotebookDocument.SplitLines(text);
    });

    private static void SetSource(List<JsonNode> cells, string gradeId, string source) =>
        cells.Single(c => (string?)c!["metadata"]?["nbgrader"]?["grade_id"] == gradeId)["source"] = NotebookDocument.SplitLines(source);

    private static void Remove(List<JsonNode> cells, string gradeId) => cells.RemoveAll(c => (string?)c!["metadata"]?["nbgrader"]?["grade_id"] == gradeId);
}

public sealed class GradingTests(GradedSubmissions graded) : IClassFixture<GradedSubmissions>
{
    private double Score(string student) => graded.Report(student)["score"]!.GetValue<double>();

    private JsonNode Exercise(string student, string gradeId) =>
        graded.Report(student)["exercises"]!.AsArray().Single(e => (string?)e!["grade_id"] == gradeId)!;

    [Fact]
    public void The_grade_command_completes_and_prints_a_score_line_per_submission()
    {
        Assert.Equal(0, graded.ExitCode);
        Assert.Contains("instructor assignment: score: 5 / 5", graded.Log);
        Assert.Contains("blank assignment: score: 0 / 5", graded.Log);
        Assert.Equal(19, graded.Log.Split('\n').Count(l => l.Contains(": score: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_instructor_version_gets_full_marks_and_the_untouched_student_version_zero()
    {
        Assert.Equal(5, Score("instructor"));
        Assert.Equal(0, Score("blank"));
        Assert.Contains("NotImplementedException", (string?)Exercise("blank", "ex1-test")["feedback"]);
    }

    [Fact]
    public void A_partially_solved_submission_gets_exactly_the_partial_credit()
    {
        Assert.Equal(2, Score("partial"));
        Assert.Equal(2, Exercise("partial", "ex1-test")["points"]!.GetValue<double>());
        Assert.Equal(0, Exercise("partial", "ex2-test")["points"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("compile-error", 0, 3, "CompilationError")]
    [InlineData("throws", 2, 0, "oops")]
    [InlineData("endless-loop", 0, 3, "timed out after 15 s")]
    [InlineData("deleted-solution-cell", 0, 3, "Twice")]
    public void A_broken_exercise_loses_its_points_and_the_others_keep_theirs(string student, double ex1, double ex2, string feedback)
    {
        Assert.Equal(ex1, Exercise(student, "ex1-test")["points"]!.GetValue<double>());
        Assert.Equal(ex2, Exercise(student, "ex2-test")["points"]!.GetValue<double>());
        var failed = ex1 == 0 ? "ex1-test" : "ex2-test";
        Assert.Contains(feedback, (string?)Exercise(student, failed)["feedback"]);
    }

    [Fact]
    public void A_compile_error_in_a_solution_cell_is_named_in_its_tests_feedback()
    {
        var feedback = (string?)Exercise("compile-error", "ex1-test")["feedback"];
        Assert.Contains("Your cell ex1 failed before it: CompilationError", feedback);
        Assert.Contains("CS1525", feedback);
        Assert.DoesNotContain("Your cell", (string?)Exercise("blank", "ex1-test")["feedback"]);
    }

    [Fact]
    public void A_student_cannot_replace_the_librarys_check_with_one_that_never_fails()
    {
        Assert.Equal(0, Exercise("shadows-check", "ex1-test")["points"]!.GetValue<double>());
        Assert.Contains("twice 3", (string?)Exercise("shadows-check", "ex1-test")["feedback"]);
        Assert.Equal(3, Score("shadows-check"));
    }

    [Fact]
    public void Hidden_tests_catch_hard_coded_answers()
    {
        Assert.Equal(0, Score("hard-coded"));
        Assert.Contains("(hidden)", (string?)Exercise("hard-coded", "ex1-test")["feedback"]);
    }

    [Fact]
    public void Locked_and_test_cells_come_from_the_source_deleted_ones_are_put_back_and_order_does_not_matter()
    {
        Assert.Equal(0, Score("tampered"));
        Assert.Equal(5, Score("deleted-test-cell"));
        Assert.Equal(5, Score("reordered-and-extra"));
    }

    [Fact]
    public void A_cell_that_blocks_costs_only_its_exercise_the_cells_after_it_run_in_a_new_process()
    {
        // blocks-first: exercise 1's test never returns (not even when interrupted); exercise 2 still earns its 3 points.
        Assert.Equal(3, Score("blocks-first"));
        Assert.Contains("timed out after 15 s and did not stop", (string?)Exercise("blocks-first", "ex1-test")["feedback"]);
        Assert.Contains("ran in a new process", (string?)graded.Report("blocks-first")["problem"]);
        Assert.Equal(2, Score("blocks"));
        Assert.Contains("timed out after 15 s and did not stop", (string?)Exercise("blocks", "ex2-test")["feedback"]);
    }

    [Fact]
    public void A_process_kept_alive_by_the_students_threads_is_ended_soon_after_its_last_cell_with_its_grade_kept()
    {
        Assert.Equal(5, Score("never-exits"));
        Assert.InRange(graded.Report("never-exits")["seconds"]!.GetValue<double>(), 0, 40);
    }

    [Theory]
    [InlineData("exits", "(exit code 3)")]
    [InlineData("stack-overflow", "Stack overflow")]
    public void A_cell_that_ends_the_process_costs_only_its_exercise(string student, string reason)
    {
        Assert.Equal(0, Exercise(student, "ex1-test")["points"]!.GetValue<double>());
        Assert.Contains(reason, (string?)Exercise(student, "ex1-test")["feedback"]);
        Assert.Equal(3, Score(student));
        Assert.Contains("ran in a new process", (string?)graded.Report(student)["problem"]);
    }

    [Fact]
    public void Malformed_json_still_gets_a_report()
    {
        var report = graded.Report("malformed");
        Assert.Equal(0, report["score"]!.GetValue<double>());
        Assert.Equal(5, report["max_score"]!.GetValue<double>());
        Assert.Contains("not valid JSON", (string?)report["problem"]);
    }

    [Fact]
    public void A_notebook_with_values_of_the_wrong_json_type_still_gets_a_report()
    {
        var report = graded.Report("wrong-types");
        Assert.Equal(0, report["score"]!.GetValue<double>());
        Assert.Contains("could not be read", (string?)report["problem"]);
    }

    [Fact]
    public void Reports_are_written_as_html_and_a_csv_gradebook()
    {
        var html = File.ReadAllText(Path.Combine(graded.Out, "partial", "assignment.html"));
        Assert.Contains("2 / 5", html);
        Assert.Contains("NotImplementedException", html);
        var rows = File.ReadAllLines(Path.Combine(graded.Out, "gradebook.csv"));
        Assert.Equal("student,notebook,ex1-test,ex2-test,total,max,problem", rows[0]);
        Assert.Contains("partial,assignment,2,0,2,5,", rows);
        Assert.Contains("instructor,assignment,2,3,5,5,", rows);
        Assert.Equal(20, rows.Length);
    }

    [Fact]
    public void The_student_version_has_no_solution_and_no_hidden_test()
    {
        var text = File.ReadAllText(Path.Combine(graded.Release, "assignment.ipynb"));
        Assert.DoesNotContain("return 2 * x;", text);
        Assert.DoesNotContain("(hidden)", text);
        Assert.DoesNotContain("BEGIN", text);
        Assert.Contains("// YOUR CODE HERE", text);
        Assert.Contains("throw new NotImplementedException();", text);
    }
}

public sealed class GradeInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-grade-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string SourceFolder => Path.GetDirectoryName(GradedSubmissions.Source)!;

    private string Copy(string relative, string? content = null)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content ?? File.ReadAllText(GradedSubmissions.Source));
        return path;
    }

    [Fact]
    public async Task A_file_given_directly_is_graded_for_its_folder_and_a_submission_without_a_source_is_named_and_skipped()
    {
        var alice = Copy(Path.Combine("alice", "assignment.ipynb"));
        var scratch = Copy(Path.Combine("alice", "scratch.ipynb"));
        var log = new StringWriter();
        var exit = await Grader.ExecuteAsync([alice, scratch], SourceFolder, Path.Combine(_dir, "out"), 120, 60, log);
        Assert.Equal(2, exit);
        Assert.Contains("alice assignment: score: 5 / 5", log.ToString());
        Assert.Contains($"{scratch}: no source notebook named scratch.ipynb", log.ToString());
        Assert.True(File.Exists(Path.Combine(_dir, "out", "alice", "assignment.json")));
    }

    [Fact]
    public async Task Submissions_that_would_overwrite_each_others_reports_or_match_no_source_are_refused()
    {
        var one = Copy(Path.Combine("a", "x", "assignment.ipynb"));
        var two = Copy(Path.Combine("b", "x", "assignment.ipynb"));
        var log = new StringWriter();
        Assert.Equal(2, await Grader.ExecuteAsync([one, two], SourceFolder, Path.Combine(_dir, "out"), 120, 60, log));
        Assert.Contains("student 'x', notebook 'assignment'", log.ToString());

        var other = Copy("other.ipynb");
        Assert.Equal(2, await Grader.ExecuteAsync([other], SourceFolder, Path.Combine(_dir, "out"), 120, 60, log = new StringWriter()));
        Assert.Contains("no submission matches a source notebook", log.ToString());
        Assert.Equal(2, await Grader.ExecuteAsync([one], Path.Combine(_dir, "missing"), Path.Combine(_dir, "out"), 120, 60, log = new StringWriter()));
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }
}
