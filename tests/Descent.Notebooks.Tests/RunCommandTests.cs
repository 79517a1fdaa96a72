using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;

namespace Descent.Notebooks.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Notebook(string name, params (string Type, string Source)[] cells)
    {
        var array = new JsonArray();
        foreach (var (type, source) in cells)
        {
            var cell = new JsonObject { ["cell_type"] = type, ["metadata"] = new JsonObject(), ["source"] = NotebookDocument.SplitLines(source) };
            if (type == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }

            array.Add(cell);
        }

        var root = new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, NotebookDocument.Serialize(root));
        return path;
    }

    private async Task<(int Code, string Log)> Run(params string[] paths)
    {
        var log = new StringWriter();
        var code = await RunCommand.ExecuteAsync(paths, Path.Combine(_dir, "out"), 20, log);
        return (code, log.ToString());
    }

    [Fact]
    public async Task Successful_run_writes_executed_copy_page_and_index_and_leaves_the_source_alone()
    {
        var path = Notebook("a.ipynb", ("markdown", "# Title A"), ("code", "var x = 2;"), ("code", "x * 21"));
        var hash = SHA256.HashData(File.ReadAllBytes(path));
        var (code, log) = await Run(path);
        Assert.Equal(0, code);
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(path)));
        var executed = NotebookDocument.Load(Path.Combine(_dir, "out", "a.ipynb"));
        Assert.Equal(2, (int)executed.Cells[2].Json["execution_count"]!);
        Assert.Equal("42", SessionTests.Shown(NotebookDocument.JoinSource(executed.Cells[2].Json["outputs"]![0]!["data"]!["text/html"])));
        Assert.Contains("Title A", File.ReadAllText(Path.Combine(_dir, "out", "a.html")));
        Assert.Contains("a.html", File.ReadAllText(Path.Combine(_dir, "out", "index.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "out", "assets", "plotly.min.js")));
        Assert.Contains("1 of 1 notebooks ran without error", log);
    }

    [Fact]
    public async Task Failing_cell_exits_1_naming_notebook_cell_counting_markdown_and_line()
    {
        var path = Notebook("b.ipynb", ("markdown", "# B"), ("code", "var ok = 1;"), ("markdown", "text"), ("code", "var y = 1;\nthrow new Exception(\"bad value\");"), ("code", "1"));
        var (code, log) = await Run(path);
        Assert.Equal(1, code);
        Assert.Contains("b.ipynb: cell 4, line 2: Exception: bad value", log);
        var executed = NotebookDocument.Load(Path.Combine(_dir, "out", "b.ipynb"));
        Assert.Contains("\"error\"", executed.Cells[3].Json["outputs"]!.ToJsonString());
        Assert.Null(executed.Cells[4].Json["execution_count"]);
    }

    [Fact]
    public async Task Compile_error_names_cell_and_line()
    {
        var path = Notebook("c.ipynb", ("code", "#r \"nuget: MathNet.Numerics, 5.0.0\"\nvar a = 1;\nvar b = ;"));
        var (code, log) = await Run(path);
        Assert.Equal(1, code);
        Assert.Contains("c.ipynb: cell 1, line 3: CompilationError: (2,9): error CS1525", log);
    }

    [Fact]
    public async Task Endless_cell_times_out_and_the_next_notebook_still_runs()
    {
        var slow = Notebook("d1.ipynb", ("code", "while (true) { }"));
        var fine = Notebook("d2.ipynb", ("code", "1 + 1"));
        var log = new StringWriter();
        // Long enough that "1 + 1" never times out on a loaded machine; the loop always does.
        var code = await RunCommand.ExecuteAsync([slow, fine], Path.Combine(_dir, "out"), 5, log);
        Assert.Equal(1, code);
        Assert.Contains("d1.ipynb: cell 1: Timeout: Cell timed out after 5 s", log.ToString());
        Assert.Contains("ok     " + fine, log.ToString());
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "run" }, "notebooks")]
    [InlineData(new[] { "run", "x.ipynb", "--timeout", "soon" }, "soon")]
    [InlineData(new[] { "walk", "x.ipynb" }, "walk")]
    public async Task Command_line_errors_exit_2_and_say_what_is_wrong(string[] args, string mention)
    {
        var log = new StringWriter();
        Assert.Equal(2, await Cli.InvokeAsync(args, log));
        Assert.Contains(mention, log.ToString());
    }

    [Fact]
    public async Task Command_line_run_with_out_and_timeout_exits_0_then_1_for_a_failing_notebook()
    {
        var good = Notebook("cli-good.ipynb", ("code", "Console.WriteLine(6 * 7);"));
        var bad = Notebook("cli-bad.ipynb", ("code", "int.Parse(\"x\")"));
        var outDir = Path.Combine(_dir, "cli-out");
        var log = new StringWriter();
        Assert.Equal(0, await Cli.InvokeAsync(["run", good, "--out", outDir, "--timeout", "30"], log));
        Assert.Equal("42\n", NotebookDocument.JoinSource(NotebookDocument.Load(Path.Combine(outDir, "cli-good.ipynb")).Cells[0].Json["outputs"]![0]!["text"]));
        Assert.Equal(1, await Cli.InvokeAsync(["run", good, bad, "--out", outDir], log));
        Assert.Contains("cli-bad.ipynb: cell 1, line 1: FormatException", log.ToString());
    }

    [Fact]
    public async Task Bench_reports_cold_start_and_per_cell_figures_and_rejects_too_few_cells()
    {
        var log = new StringWriter();
        Assert.Equal(2, await Cli.InvokeAsync(["bench", "--cells", "3"], log));
        Assert.Contains("--cells must be at least 10, but was 3", log.ToString());
        Assert.Equal(0, await Cli.InvokeAsync(["bench", "--cells", "10"], log));
        Assert.Matches(@"cold start \(session created, first cell's result\): \d+ ms wall", log.ToString());
        Assert.Matches(@"trivial cell after warm-up, 10 cells: wall median \d+\.\d ms", log.ToString());
    }

    [Fact]
    public async Task The_program_exits_0_1_2_as_a_process_and_never_changes_the_source()
    {
        var good = Notebook("p-good.ipynb", ("markdown", "# P"), ("code", "1 + 1"));
        var bad = Notebook("p-bad.ipynb", ("code", "throw new Exception(\"no\");"));
        var hash = SHA256.HashData(File.ReadAllBytes(good));
        var program = Path.Combine(AppContext.BaseDirectory, "descent-notebooks.dll");
        Assert.Equal(0, await Exec(program, "run", good, "--out", Path.Combine(_dir, "p-out")));
        Assert.Equal(1, await Exec(program, "run", bad, "--out", Path.Combine(_dir, "p-out")));
        Assert.Equal(2, await Exec(program, "run", Path.Combine(_dir, "missing"), "--out", Path.Combine(_dir, "p-out")));
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(good)));
        Assert.True(File.Exists(Path.Combine(_dir, "p-out", "p-good.html")));
    }

    private static async Task<int> Exec(string program, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [program, .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        await drain;
        return process.ExitCode;
    }

    [Fact]
    public async Task Missing_path_is_bad_input()
    {
        var (code, log) = await Run(Path.Combine(_dir, "nope.ipynb"));
        Assert.Equal(2, code);
        Assert.Contains("path not found", log);
    }

    [Fact]
    public async Task Malformed_json_is_bad_input_naming_file_and_line()
    {
        var path = Path.Combine(_dir, "broken.ipynb");
        File.WriteAllText(path, "{\n \"cells\": [\n  {,\n ]\n}");
        var (code, log) = await Run(path);
        Assert.Equal(2, code);
        Assert.Contains("broken.ipynb: not valid JSON at line 3", log);
    }

    [Fact]
    public async Task Json_that_is_not_a_notebook_is_bad_input()
    {
        var path = Path.Combine(_dir, "other.ipynb");
        File.WriteAllText(path, "{\"name\": \"x\"}");
        var (code, log) = await Run(path);
        Assert.Equal(2, code);
        Assert.Contains("no \"cells\" array", log);
    }

    [Fact]
    public async Task Empty_notebook_runs()
    {
        var (code, _) = await Run(Notebook("empty.ipynb"));
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Folder_runs_every_notebook_below_it_in_order()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "course", "sub"));
        var b = Notebook("course/b.ipynb", ("code", "1"));
        var a = Notebook("course/sub/a.ipynb", ("code", "2"));
        Assert.Equal([b, a], RunCommand.Expand([Path.Combine(_dir, "course")]));
        Assert.Equal(0, (await Run(Path.Combine(_dir, "course"))).Code);
    }

    [Fact]
    public async Task A_stack_overflow_fails_its_notebook_naming_the_cell_and_the_others_still_run_and_the_site_is_written()
    {
        var x = Notebook("x.ipynb", ("code", "Console.WriteLine(\"before\");"), ("code", "int F(int n) => F(n + 1) + 1;\nF(0)"), ("code", "1 + 1"));
        var y = Notebook("y.ipynb", ("code", "6 * 7"));
        var (code, log) = await Run(x, y);
        Assert.Equal(1, code);
        Assert.Contains("x.ipynb: cell 2: ProcessEnded: cell 2 ended the process: stack overflow", log);
        Assert.Contains("ok     " + y, log);
        Assert.Contains("1 of 2 notebooks ran without error", log);
        var executed = NotebookDocument.Load(Path.Combine(_dir, "out", "x.ipynb"));
        Assert.Contains("before", executed.Cells[0].Json["outputs"]!.ToJsonString());
        Assert.Contains("stack overflow", executed.Cells[1].Json["outputs"]!.ToJsonString());
        Assert.Null(executed.Cells[2].Json["execution_count"]);
        Assert.Equal("42", SessionTests.Shown(NotebookDocument.JoinSource(NotebookDocument.Load(Path.Combine(_dir, "out", "y.ipynb")).Cells[0].Json["outputs"]![0]!["data"]!["text/html"])));
        Assert.Contains("x.html", File.ReadAllText(Path.Combine(_dir, "out", "index.html")));
    }

    [Fact]
    public async Task Environment_Exit_0_is_a_failure_naming_the_cell_not_a_success()
    {
        var path = Notebook("exit.ipynb", ("markdown", "# E"), ("code", "Environment.Exit(0);"), ("code", "throw new Exception(\"never ran\");"));
        var (code, log) = await Run(path);
        Assert.Equal(1, code);
        Assert.Contains("exit.ipynb: cell 2: ProcessEnded: cell 2 called Environment.Exit(0)", log);
        Assert.DoesNotContain("never ran", log);
        Assert.Contains("0 of 1 notebooks ran without error", log);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "exit.html")));
    }

    [Fact]
    public async Task A_print_flood_keeps_the_first_and_last_lines_with_a_marker_and_an_oversized_display_becomes_a_note()
    {
        var path = Notebook(
            "flood.ipynb",
            ("code", "for (var i = 0; i < 200_000; i++) Console.WriteLine($\"line {i}\");"),
            ("code", "display(new string('x', 3_000_000)); \"small\""));
        var log = new StringWriter();
        var limits = new Descent.Notebooks.Engine.OutputLimits { StreamLines = 100, OutputMegabytes = 1 };
        Assert.Equal(0, await RunCommand.ExecuteAsync([path], Path.Combine(_dir, "out"), 120, log, default, limits));
        var executed = NotebookDocument.Load(Path.Combine(_dir, "out", "flood.ipynb"));
        var lines = executed.Cells[0].Json["outputs"]!.AsArray().SelectMany(o => o!["text"]!.AsArray().Select(l => (string)l!)).ToArray();
        Assert.Equal(101, lines.Length);
        Assert.Equal("line 0\n", lines[0]);
        Assert.Equal("line 49\n", lines[49]);
        Assert.StartsWith("… 199 900 lines, ", lines[50]);
        Assert.Equal("line 199950\n", lines[51]);
        Assert.Equal("line 199999\n", lines[100]);
        var display = executed.Cells[1].Json["outputs"]!.ToJsonString();
        Assert.Contains("[display output of 3 MB omitted: one output may be at most 1 MB]", display);
        Assert.Contains("small", display);
        Assert.InRange(new FileInfo(Path.Combine(_dir, "out", "flood.ipynb")).Length, 1, 20_000);
    }

    [Theory]
    [InlineData("--max-stream-lines", "1", "--max-stream-lines must be at least 2, but was 1")]
    [InlineData("--max-output-mb", "0", "--max-output-mb must be at least 0.001, but was 0")]
    public async Task Output_limits_out_of_range_are_bad_input_naming_the_option(string option, string value, string message)
    {
        var log = new StringWriter();
        Assert.Equal(2, await Cli.InvokeAsync(["run", Notebook("l.ipynb", ("code", "1")), option, value], log));
        Assert.Contains(message, log.ToString());
    }

    // One worker at a time, so which process ran each notebook is deterministic: a fresh one after a failure, else reused.
    private async Task<(int Code, string Log)> RunInOneWorker(double timeoutSeconds, params string[] paths)
    {
        var log = new StringWriter();
        var code = await RunCommand.ExecuteAsync(paths, Path.Combine(_dir, "out"), timeoutSeconds, log, default, null, parallelism: 1);
        return (code, log.ToString());
    }

    // What a code cell printed, from the executed copy.
    private string Printed(string name, int cell) =>
        string.Concat(NotebookDocument.Load(Path.Combine(_dir, "out", name + ".ipynb")).Cells[cell].Json["outputs"]!.AsArray()
            .Where(o => (string?)o!["output_type"] == "stream")
            .Select(o => NotebookDocument.JoinSource(o!["text"])));

    private const string PrintProcess = "Console.WriteLine($\"pid {Environment.ProcessId}\");";

    private int Pid(string name, int cell) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(Printed(name, cell), @"pid (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task After_a_notebook_that_died_failed_or_timed_out_the_next_runs_cleanly_in_a_new_worker_and_a_clean_one_reuses_it()
    {
        var died = Notebook("r1-died.ipynb", ("code", PrintProcess), ("code", "Environment.Exit(3);"));
        var failed = Notebook("r2-failed.ipynb", ("code", PrintProcess), ("code", "throw new InvalidOperationException(\"r2 fails\");"));
        var stuck = Notebook("r3-timeout.ipynb", ("code", PrintProcess), ("code", "while (true) { }"));
        var clean = Notebook("r4-clean.ipynb", ("code", PrintProcess), ("code", "6 * 7"));
        var next = Notebook("r5-next.ipynb", ("code", PrintProcess), ("code", "var x = 1;"));
        var (code, log) = await RunInOneWorker(8, died, failed, stuck, clean, next);
        Assert.Equal(1, code);
        Assert.Contains("r1-died.ipynb: cell 2: ProcessEnded: cell 2 called Environment.Exit(3)", log);
        Assert.Contains("r2-failed.ipynb: cell 2, line 1: InvalidOperationException: r2 fails", log);
        Assert.Contains("r3-timeout.ipynb: cell 2: Timeout: Cell timed out after 8 s", log);
        Assert.Contains("ok     " + clean, log);
        Assert.Contains("ok     " + next, log);
        Assert.Contains("2 of 5 notebooks ran without error", log);
        Assert.Contains("(4 worker processes)", log);
        Assert.Equal("42", SessionTests.Shown(NotebookDocument.JoinSource(NotebookDocument.Load(Path.Combine(_dir, "out", "r4-clean.ipynb")).Cells[1].Json["outputs"]![0]!["data"]!["text/html"])));

        // Each notebook after a failure ran in a process of its own; the one after a clean notebook in the same process.
        int[] pids = [Pid("r1-died", 0), Pid("r2-failed", 0), Pid("r3-timeout", 0), Pid("r4-clean", 0)];
        Assert.Equal(4, pids.Distinct().Count());
        Assert.Equal(Pid("r4-clean", 0), Pid("r5-next", 0));
    }

    [Fact]
    public async Task A_reused_worker_gives_the_next_notebook_nothing_of_the_last_one()
    {
        var first = Notebook(
            "s1-first.ipynb",
            ("code", PrintProcess),
            ("code", "var secret = 42;\nEnvironment.SetEnvironmentVariable(\"DESCENT_LEAK\", \"set by s1\");\nEnvironment.SetEnvironmentVariable(\"HOME\", \"/leaked\");"),
            ("code", "System.Globalization.CultureInfo.DefaultThreadCurrentCulture = new System.Globalization.CultureInfo(\"de-DE\");\nSystem.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(\"de-DE\");\nConsole.WriteLine(1.5);"),
            ("code", "Microsoft.DotNet.Interactive.Formatting.Formatter.Register<int>(i => \"<b>leaked format</b>\", \"text/html\");\n7"),
            ("code", "Console.SetOut(new System.IO.StringWriter());\nConsole.SetError(new System.IO.StringWriter());"));
        var second = Notebook(
            "s2-second.ipynb",
            ("code", PrintProcess + "\nConsole.WriteLine(Environment.GetEnvironmentVariable(\"DESCENT_LEAK\") ?? \"no leak\");\nConsole.WriteLine(Environment.GetEnvironmentVariable(\"HOME\"));\nConsole.WriteLine(1.5);\nConsole.Error.WriteLine(\"to stderr\");"),
            ("code", "7"),
            ("code", "secret"));
        var (code, log) = await RunInOneWorker(60, first, second);
        Assert.True(code == 1 && log.Contains("ok     " + first, StringComparison.Ordinal), log);
        Assert.Contains("1,5", Printed("s1-first", 2));
        Assert.Contains("leaked format", NotebookDocument.Load(Path.Combine(_dir, "out", "s1-first.ipynb")).Cells[3].Json["outputs"]!.ToJsonString());

        // The same process (reused), yet: no variable, no environment change, no culture, no formatter, the console captured.
        Assert.Equal(Pid("s1-first", 0), Pid("s2-second", 0));
        Assert.Contains("s2-second.ipynb: cell 3, line 1: CompilationError", log);
        Assert.Contains("CS0103: The name 'secret' does not exist in the current context", log);
        var printed = Printed("s2-second", 0);
        Assert.Contains("no leak\n", printed);
        Assert.DoesNotContain("set by s1", printed);
        Assert.Contains(Environment.GetEnvironmentVariable("HOME") + "\n", printed);
        Assert.Contains("1.5\n", printed);
        Assert.Contains("to stderr", printed);
        var seven = NotebookDocument.Load(Path.Combine(_dir, "out", "s2-second.ipynb")).Cells[1].Json["outputs"]!.ToJsonString();
        Assert.DoesNotContain("leaked format", seven);
        Assert.Equal("7", SessionTests.Shown(NotebookDocument.JoinSource(NotebookDocument.Load(Path.Combine(_dir, "out", "s2-second.ipynb")).Cells[1].Json["outputs"]![0]!["data"]!["text/html"])));
    }

    [Fact]
    public async Task Each_notebook_runs_in_its_own_folder_also_in_a_reused_worker()
    {
        foreach (var folder in new[] { "f1", "f2" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, folder));
            File.WriteAllText(Path.Combine(_dir, folder, "marker.txt"), "marker of " + folder);
        }

        const string Where = PrintProcess + "\nConsole.WriteLine(System.IO.Directory.GetCurrentDirectory());\nConsole.WriteLine(System.IO.File.ReadAllText(\"marker.txt\"));";
        var one = Notebook("f1/w1.ipynb", ("code", Where), ("code", "System.IO.Directory.SetCurrentDirectory(\"/\");"));
        var two = Notebook("f2/w2.ipynb", ("code", Where));
        var (code, log) = await RunInOneWorker(60, one, two);
        Assert.True(code == 0, log);
        Assert.Equal(Pid("w1", 0), Pid("w2", 0));
        Assert.Contains(Path.Combine(_dir, "f1") + "\nmarker of f1\n", Printed("w1", 0));
        Assert.Contains(Path.Combine(_dir, "f2") + "\nmarker of f2\n", Printed("w2", 0));
    }

    [Fact]
    public async Task What_a_thread_of_the_last_notebook_prints_never_reaches_the_next_notebook_in_the_same_worker()
    {
        var first = Notebook("t1.ipynb", ("code", PrintProcess + "\nnew System.Threading.Thread(() => { while (true) { Console.WriteLine(\"late line\"); System.Threading.Thread.Sleep(20); } }) { IsBackground = true }.Start();\nSystem.Threading.Thread.Sleep(200);"));
        var second = Notebook("t2.ipynb", ("code", PrintProcess + "\nSystem.Threading.Thread.Sleep(1000);\nConsole.WriteLine(\"second done\");"));
        var (code, log) = await RunInOneWorker(60, first, second);
        Assert.True(code == 0, log);
        Assert.Contains("late line", Printed("t1", 0));
        Assert.Equal(Pid("t1", 0), Pid("t2", 0));
        Assert.DoesNotContain("late line", Printed("t2", 0));
        Assert.Contains("second done", Printed("t2", 0));
    }

    [Fact]
    public void References_reads_packages_with_versions_and_dlls_with_full_paths()
    {
        var refs = NotebookWorkers.References(["#r \"nuget: MathNet.Numerics, 5.0.0\"\n#r \"nuget:Plotly.NET\"\nvar a = 1;", "  #r \"lib/Leaf.dll\"\n// #r \"x.dll\""], "/course");
        Assert.Equal("5.0.0", refs["nuget:mathnet.numerics"]);
        Assert.Equal("", refs["nuget:plotly.net"]);
        Assert.Equal("/course/lib/Leaf.dll", refs["dll:leaf"]);
        Assert.Equal(3, refs.Count);
    }

    [Fact]
    public async Task A_worker_is_not_reused_for_a_notebook_that_loads_another_copy_of_an_assembly_it_has_loaded()
    {
        // The same assembly name in two folders: a process that loaded one would run the other notebook against it.
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Leaf",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public static class Leaf { public static string Where => typeof(Leaf).Assembly.Location; }")],
            [Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        foreach (var folder in new[] { "g1", "g2" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, folder, "lib"));
            using var file = File.Create(Path.Combine(_dir, folder, "lib", "Leaf.dll"));
            Assert.True(compilation.Emit(file).Success);
        }

        const string Load = "#r \"lib/Leaf.dll\"\n" + PrintProcess + "\nConsole.WriteLine(Leaf.Where);";
        var one = Notebook("g1/l1.ipynb", ("code", Load));
        var two = Notebook("g2/l2.ipynb", ("code", Load));
        var three = Notebook("g2/l3.ipynb", ("code", Load));
        var (code, log) = await RunInOneWorker(60, one, two, three);
        Assert.True(code == 0, log);
        Assert.Contains(Path.Combine(_dir, "g1", "lib", "Leaf.dll"), Printed("l1", 0));
        Assert.Contains(Path.Combine(_dir, "g2", "lib", "Leaf.dll"), Printed("l2", 0));
        Assert.NotEqual(Pid("l1", 0), Pid("l2", 0));
        Assert.Equal(Pid("l2", 0), Pid("l3", 0));
        Assert.Contains("(2 worker processes)", log);
    }
}
