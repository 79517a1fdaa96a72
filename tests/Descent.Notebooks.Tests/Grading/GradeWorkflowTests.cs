using System.Text;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Grading;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Tests.Grading;

/// <summary>
/// An assignment with a written answer (a manually graded markdown cell), three students, graded once whole, once as
/// two shards merged, and once without the sandbox; the instructor's sheet then marks the written answers.
/// </summary>
public sealed class GradedWorkflow : IDisposable
{
    public GradedWorkflow()
    {
        var source = JsonNode.Parse(File.ReadAllText(GradedSubmissions.Source)
            .Replace("../../../lib/Descent/bin/Descent.dll", Path.Combine(Repo.Root, "lib", "Descent", "bin", "Descent.dll"), StringComparison.Ordinal))!.AsObject();
        var explain = new JsonObject
        {
            ["cell_type"] = "markdown",
            ["metadata"] = new JsonObject
            {
                ["nbgrader"] = new JsonObject
                {
                    ["grade"] = true,
                    ["grade_id"] = "ex3-explain",
                    ["locked"] = false,
                    ["points"] = 2,
                    ["schema_version"] = 3,
                    ["solution"] = true,
                },
            },
            ["source"] = NotebookDocument.SplitLines("Doubling is linear, so the error of one step, doubled, is the error of two."),
        };
        source["cells"]!.AsArray().Add(explain);
        Directory.CreateDirectory(Path.GetDirectoryName(Source)!);
        File.WriteAllText(Source, NotebookDocument.Serialize(source));
        Assert.Equal(0, AssignCommand.Execute([Source], Release, TextWriter.Null));
        var student = NotebookDocument.Load(Path.Combine(Release, "assignment.ipynb")).Root;
        Submit("alice", WithAnswer((JsonObject)source.DeepClone(), "Alice: linear maps double errors."));
        Submit("bob", student);
        Submit("carol", WithAnswer(WithSolution(student, "ex1", "return x + x;"), "Carol's answer, with a comma, and \"quotes\"\nover two lines."));

        Whole = Grade(new GradeOptions(Source, Path.Combine(Dir, "whole")));
        Shard1 = Grade(new GradeOptions(Source, Path.Combine(Dir, "shard1")) { Shard = (1, 2) });
        Shard2 = Grade(new GradeOptions(Source, Path.Combine(Dir, "shard2")) { Shard = (2, 2) });
        var log = new StringWriter();
        MergeExit = GradeMerge.Execute([Path.Combine(Dir, "shard1"), Path.Combine(Dir, "shard2")], Path.Combine(Dir, "merged"), log);
        MergeLog = log.ToString();
        Unsandboxed = Grade(new GradeOptions(Source, Path.Combine(Dir, "unsandboxed")) { NoSandbox = true, Jobs = 1 }, [Path.Combine(Submissions, "alice", "assignment.ipynb")]);
    }

    public string Dir { get; } = Directory.CreateTempSubdirectory("descent-workflow-").FullName;

    public string Source => Path.Combine(Dir, "source", "assignment.ipynb");

    public string Release => Path.Combine(Dir, "release");

    public string Submissions => Path.Combine(Dir, "submissions");

    public (int Exit, string Log) Whole { get; }

    public (int Exit, string Log) Shard1 { get; }

    public (int Exit, string Log) Shard2 { get; }

    public (int Exit, string Log) Unsandboxed { get; }

    public int MergeExit { get; }

    public string MergeLog { get; }

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    private (int, string) Grade(GradeOptions options, string[]? submissions = null)
    {
        var log = new StringWriter();
        // Without bubblewrap (a machine with only the SDK) the workflow is the same unsandboxed; the isolation test is skipped.
        var exit = GradeCommand.ExecuteAsync(
            submissions ?? [Submissions],
            options with { TimeoutSeconds = 120, CellTimeoutSeconds = 30, NoSandbox = options.NoSandbox || SandboxSupport.GradeWithoutSandbox },
            log).GetAwaiter().GetResult();
        return (exit, log.ToString());
    }

    private void Submit(string student, JsonObject root)
    {
        Directory.CreateDirectory(Path.Combine(Submissions, student));
        File.WriteAllText(Path.Combine(Submissions, student, "assignment.ipynb"), NotebookDocument.Serialize(root));
    }

    private static JsonObject WithAnswer(JsonObject root, string answer)
    {
        var copy = (JsonObject)root.DeepClone();
        copy["cells"]!.AsArray().Single(c => (string?)c!["metadata"]?["nbgrader"]?["grade_id"] == "ex3-explain")!["source"] = NotebookDocument.SplitLines(answer);
        return copy;
    }

    private static JsonObject WithSolution(JsonObject root, string gradeId, string body)
    {
        var copy = (JsonObject)root.DeepClone();
        var cell = copy["cells"]!.AsArray().Single(c => (string?)c!["metadata"]?["nbgrader"]?["grade_id"] == gradeId)!;
        cell["source"] = NotebookDocument.SplitLines(System.Text.RegularExpressions.Regex.Replace(
            NotebookDocument.JoinSource(cell["source"]), @"throw new NotImplementedException\(.*\);", _ => body));
        return copy;
    }
}

public sealed class GradeWorkflowTests(GradedWorkflow graded) : IClassFixture<GradedWorkflow>
{
    private string Out(string run) => Path.Combine(graded.Dir, run);

    private JsonNode Report(string run, string student) => JsonNode.Parse(File.ReadAllText(Path.Combine(Out(run), student, "assignment.json")))!;

    [Fact]
    public void A_written_answer_is_blanked_by_assign_and_left_for_the_instructor_by_grade()
    {
        var release = File.ReadAllText(Path.Combine(graded.Release, "assignment.ipynb"));
        Assert.DoesNotContain("Doubling is linear", release);
        Assert.Contains(Exercises.AnswerPlaceholder, release);
        Assert.Equal(0, graded.Whole.Exit);
        Assert.Contains("alice assignment: score: 5 / 7 (", graded.Whole.Log);
        Assert.Contains("2 awaiting manual grading", graded.Whole.Log);
        var answer = Report("whole", "alice")["exercises"]!.AsArray().Single(e => (string?)e!["grade_id"] == "ex3-explain")!;
        Assert.True(answer["pending"]!.GetValue<bool>());
        Assert.Equal("Alice: linear maps double errors.", (string?)answer["answer"]);
        Assert.Equal(2, Report("whole", "alice")["manual_pending"]!.GetValue<double>());
    }

    [Fact]
    public void The_manual_sheet_lists_each_answer_with_the_model_answer_and_the_points_available()
    {
        var rows = Csv.Parse(File.ReadAllText(Path.Combine(Out("whole"), ManualSheet.FileName)));
        Assert.Equal(["student", "notebook", "grade_id", "max_points", "points", "comment", "answer", "model_answer"], rows[0].Fields);
        var carol = rows.Single(r => r.Fields[0] == "carol").Fields;
        Assert.Equal(["carol", "assignment", "ex3-explain", "2", "", ""], carol[..6]);
        Assert.Equal("Carol's answer, with a comma, and \"quotes\"\nover two lines.", carol[6]);
        Assert.Equal("Doubling is linear, so the error of one step, doubled, is the error of two.", carol[7]);
        Assert.Equal(Exercises.AnswerPlaceholder, rows.Single(r => r.Fields[0] == "bob").Fields[6]);
    }

    [Fact]
    public void Manual_marks_merge_into_the_reports_and_the_gradebook()
    {
        var dir = Out("manual");
        CopyFolder(Out("whole"), dir);
        var sheet = Path.Combine(dir, ManualSheet.FileName);
        var rows = Csv.Parse(File.ReadAllText(sheet));
        var text = new StringBuilder(string.Join(',', rows[0].Fields.Select(Csv.Quote)) + "\n");
        foreach (var (_, fields) in rows.Skip(1))
        {
            (fields[4], fields[5]) = fields[0] switch { "alice" => ("2", "Right: linearity."), "carol" => ("0.5", "Half, see the model answer."), _ => ("", "") };
            text.Append(string.Join(',', fields.Select(Csv.Quote))).Append('\n');
        }

        File.WriteAllText(sheet, text.ToString());
        var log = new StringWriter();
        Assert.Equal(0, ManualSheet.Merge(sheet, dir, log));
        Assert.Contains("2 marks merged", log.ToString());
        Assert.Contains("1 written answers still to mark", log.ToString());
        var alice = Report("manual", "alice");
        Assert.Equal(7, alice["score"]!.GetValue<double>());
        Assert.Equal(0, alice["manual_pending"]!.GetValue<double>());
        Assert.Equal("Right: linearity.", (string?)alice["exercises"]!.AsArray().Single(e => (string?)e!["grade_id"] == "ex3-explain")!["feedback"]);
        var book = File.ReadAllLines(Path.Combine(dir, GradeReports.GradebookFile));
        Assert.Equal("student,notebook,ex1-test,ex2-test,ex3-explain,total,max,manual_pending,problem", book[0]);
        Assert.Contains("alice,assignment,2,3,2,7,7,0,", book);
        Assert.Contains("carol,assignment,2,0,0.5,2.5,7,0,", book);
        Assert.Contains("bob,assignment,0,0,,0,7,2,", book);
        Assert.Contains("Right: linearity.", File.ReadAllText(Path.Combine(dir, "alice", "assignment.html")));
        // The sheet keeps the marks, so it can be merged again or finished later.
        Assert.Equal("2", Csv.Parse(File.ReadAllText(sheet)).Single(r => r.Fields[0] == "alice").Fields[4]);
    }

    [Fact]
    public void A_bad_mark_is_named_by_file_and_line_and_nothing_changes()
    {
        var dir = Out("bad-manual");
        CopyFolder(Out("whole"), dir);
        var before = File.ReadAllText(Path.Combine(dir, GradeReports.GradebookFile));
        var sheet = Path.Combine(dir, "marks.csv");
        File.WriteAllText(sheet, "student,notebook,grade_id,points,comment\nalice,assignment,ex3-explain,2,ok\ncarol,assignment,ex3-explain,5,too many\nbob,assignment,ex1-test,1,\n");
        var log = new StringWriter();
        Assert.Equal(2, ManualSheet.Merge(sheet, dir, log));
        Assert.Contains($"{sheet}, line 3: points '5' for carol assignment ex3-explain must be a number from 0 to 2", log.ToString());
        Assert.Contains($"{sheet}, line 4: 'ex1-test' is not a written answer of assignment", log.ToString());
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, GradeReports.GradebookFile)));
        Assert.True(Report("bad-manual", "alice")["exercises"]!.AsArray().Single(e => (string?)e!["grade_id"] == "ex3-explain")!["pending"]!.GetValue<bool>());
    }

    [Fact]
    public void Two_shards_merged_give_the_same_gradebook_sheet_and_reports_as_one_run()
    {
        Assert.Equal(0, graded.Shard1.Exit);
        Assert.Contains("shard 1/2: 2 submissions", graded.Shard1.Log);
        Assert.Contains("shard 2/2: 1 submissions", graded.Shard2.Log);
        Assert.Equal(0, graded.MergeExit);
        Assert.Contains("3 submissions from 2 shards merged", graded.MergeLog);
        foreach (var file in new[] { GradeReports.GradebookFile, ManualSheet.FileName })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(Out("whole"), file)), File.ReadAllText(Path.Combine(Out("merged"), file)));
        }

        foreach (var student in new[] { "alice", "bob", "carol" })
        {
            var whole = Report("whole", student).AsObject();
            var merged = Report("merged", student).AsObject();
            whole.Remove("seconds");
            merged.Remove("seconds");
            Assert.Equal(whole.ToJsonString(), merged.ToJsonString());
        }
    }

    [Fact]
    public void Merging_a_shard_twice_or_a_folder_that_is_not_a_grade_output_is_refused()
    {
        var log = new StringWriter();
        Assert.Equal(2, GradeMerge.Execute([Out("shard1"), Out("shard1")], Out("merged-twice"), log));
        Assert.Contains("was graded in more than one shard", log.ToString());
        Assert.Equal(2, GradeMerge.Execute([graded.Submissions], Out("merged-bad"), log = new StringWriter()));
        Assert.Contains("is not an output folder of 'grade'", log.ToString());
    }

    [NeedsSandboxFact]
    public void Without_the_sandbox_the_reports_say_so()
    {
        Assert.Equal(0, graded.Unsandboxed.Exit);
        Assert.Contains("WITHOUT a sandbox", graded.Unsandboxed.Log);
        Assert.Equal(GradeOptions.NoSandboxName, (string?)Report("unsandboxed", "alice")["isolation"]);
        Assert.Equal(GradeOptions.SandboxName, (string?)Report("whole", "alice")["isolation"]);
        Assert.Contains("Graded without a sandbox", File.ReadAllText(Path.Combine(Out("unsandboxed"), "alice", "assignment.html")));
    }

    [NeedsSandboxFact]
    public void Where_no_sandbox_can_be_built_grade_says_why_and_how_to_proceed()
    {
        Assert.Contains("'bwrap' is not on PATH", Sandbox.Explain(null));
        var failing = Sandbox.Explain("/bin/false");
        Assert.Contains("could not build a sandbox", failing);
        Assert.Contains("--no-sandbox", failing);
        Assert.Null(Sandbox.Explain(Sandbox.Bwrap));
    }

    [Fact]
    public async Task Check_prints_each_visible_test_and_the_classroom_payload_decodes_to_the_reporters_format()
    {
        var log = new StringWriter();
        var carol = Path.Combine(graded.Submissions, "carol", "assignment.ipynb");
        Assert.Equal(0, await CheckCommand.ExecuteAsync(carol, 30, classroom: true, log));
        var text = log.ToString();
        Assert.Contains("✓ ex1-test", text);
        Assert.Contains("✗ ex2-test", text);
        Assert.Contains("✎ ex3-explain", text);
        Assert.Contains("visible tests: 2 / 5 points; 2 points of written answers are marked by hand", text);
        var line = text.Split('\n').Single(l => l.StartsWith("result=", StringComparison.Ordinal));
        var payload = JsonNode.Parse(Convert.FromBase64String(line["result=".Length..]))!;
        Assert.Equal(1, payload["version"]!.GetValue<int>());
        Assert.Equal("fail", (string?)payload["status"]);
        Assert.Equal(5, payload["max_score"]!.GetValue<double>());
        var tests = payload["tests"]!.AsArray();
        Assert.Equal(["ex1-test", "ex2-test"], tests.Select(t => (string)t!["name"]!));
        Assert.Equal(["pass", "fail"], tests.Select(t => (string)t!["status"]!));
        Assert.Equal([2.0, 0.0], tests.Select(t => t!["score"]!.GetValue<double>()));
        Assert.Contains("NotImplementedException", (string?)tests[1]!["message"]);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
