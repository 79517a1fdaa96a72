using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Grading;

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
        // The source is graded from a copy, so an attack that got through could not damage the repository's.
        Directory.CreateDirectory(Path.GetDirectoryName(Instructor)!);
        File.WriteAllText(Instructor, File.ReadAllText(Source).Replace("../../../lib/Descent/bin/Descent.dll", Path.Combine(Repo.Root, "lib", "Descent", "bin", "Descent.dll"), StringComparison.Ordinal));
        Assert.Equal(0, AssignCommand.Execute([Instructor], Release, TextWriter.Null));
        var student = NotebookDocument.Load(Path.Combine(Release, "assignment.ipynb"));
        var instructor = NotebookDocument.Load(Instructor);
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
        // The attacks only run inside the sandbox; without bubblewrap (outside CI) their tests are skipped.
        var sandboxed = Sandboxed;
        if (sandboxed)
        {
            SubmitAttacks(student.Root);
        }

        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            ListenerPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            if (sandboxed)
            {
                Submit("network", WithSolution(student.Root, "ex1",
                    $"using (var c = new System.Net.Sockets.TcpClient()) {{ c.Connect(\"127.0.0.1\", {ListenerPort}); }} return 2 * x;"));
            }

            SourceHashBefore = Hash(Instructor);
            var log = new StringWriter();
            var options = new GradeOptions(Instructor, Out)
            {
                TimeoutSeconds = 120,
                CellTimeoutSeconds = 15,
                MemoryLimitBytes = 768L << 20,
                OutputLimitBytes = 1L << 20,
                NoSandbox = !sandboxed,
            };
            ExitCode = GradeCommand.ExecuteAsync([Submissions], options, log).GetAwaiter().GetResult();
            Log = log.ToString();
            NetworkConnectionsAccepted = listener.Pending() ? 1 : 0;
            listener.Stop();
        }

        // What a detached process would have done by now, had it survived.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        GradebookAfterGrading = File.ReadAllText(Path.Combine(Out, "gradebook.csv"));
        SurvivingProcesses = ProcessesMentioning(Marker);
    }

    /// <summary>Whether the run is sandboxed (and the attacks submitted): always in CI, else where bubblewrap works.</summary>
    public bool Sandboxed { get; } = !SandboxSupport.GradeWithoutSandbox;

    /// <summary>A string every attack's helper process carries on its command line, to find survivors.</summary>
    public string Marker { get; } = "descent-attack-" + Guid.NewGuid().ToString("N");

    public int ListenerPort { get; private set; }

    public int NetworkConnectionsAccepted { get; }

    public string SourceHashBefore { get; } = "";

    public string GradebookAfterGrading { get; } = "";

    public IReadOnlyList<string> SurvivingProcesses { get; } = [];

    public static string Hash(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    public static IReadOnlyList<string> ProcessesMentioning(string marker) =>
        Directory.GetDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])).Select(d =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "";
            }
        }).Where(c => c.Contains(marker, StringComparison.Ordinal)).ToArray();

    /// <summary>One submission per attack on the grader; each, had it worked, would have earned exercise 1's points.</summary>
    private void SubmitAttacks(JsonObject student)
    {
        static string Literal(string s) => "@\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var gradebook = Path.Combine(Out, "gradebook.csv");
        Submit("reads-source", WithSolution(student, "ex1", $"var secret = System.IO.File.ReadAllText({Literal(Instructor)}); return secret.Contains(\"(hidden)\") ? 2 * x : 0;"));
        Submit("reads-submissions", WithSolution(student, "ex1", $"return System.IO.Directory.GetDirectories({Literal(Submissions)}).Length > 0 ? 2 * x : 0;"));
        Submit("writes-outside", WithSolution(student, "ex1",
            $"try {{ System.IO.File.WriteAllText({Literal(Instructor)}, \"{{}}\"); }} catch (System.IO.IOException) {{ }}\n"
            + $"System.IO.File.WriteAllText({Literal(Path.Combine(Repo.Root, "lib", "Descent", "bin", Marker))}, \"x\"); return 2 * x;"));
        Submit("detached-process", WithSolution(student, "ex1",
            $"System.Diagnostics.Process.Start(\"/bin/sh\", new[] {{ \"-c\", \"setsid sh -c 'sleep 30; echo hacked >> {gradebook}' {Marker} & sleep 0.2\" }})!.WaitForExit(); return 2 * x;"));
        Submit("fork-bomb", WithSolution(student, "ex1",
            $"System.Diagnostics.Process.Start(\"/bin/sh\", new[] {{ \"-c\", \"b() {{ [ $1 -lt 12 ] && {{ b $(($1+1)) & b $(($1+1)) & }}; sleep 60; }}; b 0\", \"{Marker}\" }}); System.Threading.Thread.Sleep(20000); return 2 * x;"));
        Submit("memory-managed", WithSolution(student, "ex1", "var hoard = new List<double[]>(); while (true) { hoard.Add(new double[1 << 22]); }"));
        Submit("memory-native", WithSolution(student, "ex1",
            "var size = 4L << 30; var p = System.Runtime.InteropServices.Marshal.AllocHGlobal((nint)size); for (long i = 0; i < size; i += 4096) { System.Runtime.InteropServices.Marshal.WriteByte((nint)(p + i), 1); } return 2 * x;"));
        // Report every cell as completed: in the captured output, on the raw standard output, and with a guessed token.
        Submit("imitates-protocol", WithSolution(student, "ex1",
            "var q = (char)34; var raw = new System.IO.StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };\n"
            + "for (var cell = 1; cell < 20; cell++) { var line = \"{\" + q + \"cell\" + q + \":\" + cell + \",\" + q + \"status\" + q + \":\" + q + \"Completed\" + q + \"}\";\n"
            + "Console.WriteLine(line); raw.WriteLine(line); raw.WriteLine(new string('0', 32) + \" \" + line); }\n"
            + "throw new Exception(\"no answer\");"));
        Submit("output-flood", WithSolution(student, "ex1", "for (var i = 0; i < 2_000_000; i++) Console.WriteLine($\"line {i} of a flood\"); return 2 * x;"));
    }

    public static string Source => Path.Combine(Repo.Root, "tests", "Descent.Notebooks.Tests", "Grading", "assignment.ipynb");

    /// <summary>The fixture's copy of <see cref="Source"/>, with the library referenced by its absolute path.</summary>
    public string Instructor => Path.Combine(Dir, "source", "assignment.ipynb");

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
        var text = System.Text.RegularExpressions.Regex.Replace(NotebookDocument.JoinSource(cell["source"]), @"throw new NotImplementedException\(.*\);", _ => body);
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
        Assert.Equal(graded.Sandboxed ? 29 : 19, graded.Log.Split('\n').Count(l => l.Contains(": score: ", StringComparison.Ordinal)));
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
    [InlineData("exits", "called Environment.Exit(3)")]
    [InlineData("stack-overflow", "ended the process: stack overflow")]
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
        Assert.Equal("student,notebook,ex1-test,ex2-test,total,max,manual_pending,problem", rows[0]);
        Assert.Contains("partial,assignment,2,0,2,5,0,", rows);
        Assert.Contains("instructor,assignment,2,3,5,5,0,", rows);
        Assert.Equal(graded.Sandboxed ? 30 : 20, rows.Length);
    }

    [NeedsSandboxTheory]
    [InlineData("reads-source", "Could not find")]
    [InlineData("reads-submissions", "Could not find")]
    [InlineData("network", "SocketException")]
    public void A_submission_cannot_read_the_instructors_files_or_other_submissions_or_reach_the_network(string student, string feedback)
    {
        Assert.Equal(0, Exercise(student, "ex1-test")["points"]!.GetValue<double>());
        Assert.Contains(feedback, (string?)Exercise(student, "ex1-test")["feedback"]);
        Assert.DoesNotContain("(hidden)", (string?)Exercise(student, "ex1-test")["feedback"]);
        Assert.Equal(0, graded.NetworkConnectionsAccepted);
        Assert.Equal("bubblewrap", (string?)graded.Report(student)["isolation"]);
    }

    [NeedsSandboxFact]
    public void A_submission_cannot_change_anything_outside_its_scratch_directory()
    {
        // The instructor notebook's path is the scratch directory inside the sandbox; the library build is read-only.
        Assert.Equal(graded.SourceHashBefore, GradedSubmissions.Hash(graded.Instructor));
        Assert.False(File.Exists(Path.Combine(Repo.Root, "lib", "Descent", "bin", graded.Marker)));
        Assert.Equal(0, Exercise("writes-outside", "ex1-test")["points"]!.GetValue<double>());
        Assert.Contains("Read-only file system", (string?)Exercise("writes-outside", "ex1-test")["feedback"]);
    }

    [NeedsSandboxFact]
    public void A_detached_process_ends_with_its_submission_and_never_touches_the_gradebook()
    {
        Assert.Equal(2, Score("detached-process"));
        Assert.Empty(graded.SurvivingProcesses);
        Assert.DoesNotContain("hacked", graded.GradebookAfterGrading);
        Assert.DoesNotContain("hacked", File.ReadAllText(Path.Combine(graded.Out, "gradebook.csv")));
    }

    [NeedsSandboxTheory]
    [InlineData("fork-bomb", "process limit")]
    [InlineData("memory-managed", "memory limit")]
    [InlineData("memory-native", "memory limit")]
    [InlineData("output-flood", "output limit")]
    public void A_submission_over_a_limit_is_ended_with_the_limit_named_and_costs_only_itself(string student, string limit)
    {
        var report = graded.Report(student);
        Assert.Contains(limit, (string?)report["problem"]);
        Assert.Contains(limit, (string?)Exercise(student, "ex1-test")["feedback"]);
        Assert.Equal(0, report["score"]!.GetValue<double>());
        Assert.Empty(graded.SurvivingProcesses);
        Assert.Equal(5, Score("instructor"));
    }

    [NeedsSandboxFact]
    public void Lines_that_imitate_the_worker_protocol_earn_nothing()
    {
        Assert.Equal(0, Exercise("imitates-protocol", "ex1-test")["points"]!.GetValue<double>());
        Assert.Contains("no answer", (string?)Exercise("imitates-protocol", "ex1-test")["feedback"]);
        Assert.Equal(0, Score("imitates-protocol"));
    }

    [Fact]
    public void The_student_version_has_no_solution_and_no_hidden_test()
    {
        var text = File.ReadAllText(Path.Combine(graded.Release, "assignment.ipynb"));
        Assert.DoesNotContain("return 2 * x;", text);
        Assert.DoesNotContain("(hidden)", text);
        Assert.DoesNotContain("BEGIN", text);
        Assert.Contains("// YOUR CODE HERE", text);
        Assert.Contains("throw new NotImplementedException(\"exercise ex1: not implemented yet (your code goes here).\");",
            string.Concat(NotebookDocument.Load(Path.Combine(graded.Release, "assignment.ipynb")).Cells.Select(c => c.Source)));
    }
}

public sealed class GradeInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-grade-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string SourceFolder => Path.GetDirectoryName(GradedSubmissions.Source)!;

    private GradeOptions Options() => new(SourceFolder, Path.Combine(_dir, "out")) { TimeoutSeconds = 120, CellTimeoutSeconds = 60, NoSandbox = SandboxSupport.GradeWithoutSandbox };

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
        var exit = await GradeCommand.ExecuteAsync([alice, scratch], Options(), log);
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
        Assert.Equal(2, await GradeCommand.ExecuteAsync([one, two], Options(), log));
        Assert.Contains("student 'x', notebook 'assignment'", log.ToString());

        var other = Copy("other.ipynb");
        Assert.Equal(2, await GradeCommand.ExecuteAsync([other], Options(), log = new StringWriter()));
        Assert.Contains("no submission matches a source notebook", log.ToString());
        Assert.Equal(2, await GradeCommand.ExecuteAsync([one], Options() with { Source = Path.Combine(_dir, "missing") }, log = new StringWriter()));
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }
}
