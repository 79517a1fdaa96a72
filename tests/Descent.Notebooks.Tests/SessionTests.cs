using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Tests;

public sealed class SessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-session-").FullName;
    private readonly ExecutionSession _session;

    public SessionTests() => _session = ExecutionSession.Create(new ExecutionSessionOptions(_dir));

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<SubmissionResult> Run(string code, int timeoutSeconds = 120)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        return await _session.SubmitAsync(code, null, cts.Token);
    }

    // What the kernel's HTML shows of a plain value: the text of its plain-text block (.NET Interactive's formatter).
    internal static string Shown(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "^<div class=\"dni-plaintext\"><pre>(.*?)</pre></div>", System.Text.RegularExpressions.RegexOptions.Singleline) is { Success: true } m
            ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)
            : $"(not a plain-text block: {html[..Math.Min(80, html.Length)]})";

    private static string Html(CellOutput output) => Assert.IsType<ResultOutput>(output).Data["text/html"];

    private static string Text(CellOutput output) => output switch
    {
        ResultOutput r => string.Join("|", r.Data.Select(kv => $"{kv.Key}={kv.Value}")),
        DisplayOutput d => string.Join("|", d.Data.Select(kv => $"{kv.Key}={kv.Value}")),
        StreamOutput s => $"{s.Name}:{s.Text}",
        ErrorOutput e => $"error:{e.Name}:{e.Value}",
        _ => output.ToString()!,
    };

    [Fact]
    public async Task State_carries_across_cells()
    {
        Assert.True((await Run("var x = 20;")).Succeeded);
        var result = await Run("x + 22");
        Assert.True(result.Succeeded);
        var output = Assert.Single(result.Outputs);
        Assert.Equal("42", Shown(Html(output)));
    }

    [Fact]
    public async Task Trailing_expression_is_the_result_strings_as_plain_text_others_as_html()
    {
        var s = Assert.IsType<ResultOutput>(Assert.Single((await Run("\"hello\"")).Outputs));
        Assert.Equal("hello", s.Data["text/plain"]);
        var n = Assert.IsType<ResultOutput>(Assert.Single((await Run("1 + 2")).Outputs));
        Assert.True(n.Data.ContainsKey("text/html"));
        Assert.Equal("3", Shown(n.Data["text/html"]));
    }

    [Fact]
    public async Task Semicolon_or_void_expression_gives_no_result()
    {
        Assert.Empty((await Run("var y = 1 + 2;")).Outputs);
        Assert.Empty((await Run("Math.Abs(1);")).Outputs);
        var r = await Run("System.Diagnostics.Debug.Assert(true)");
        Assert.True(r.Succeeded);
        Assert.Empty(r.Outputs);
    }

    [Fact]
    public async Task Null_result_shows_as_null_marker()
    {
        var r = Assert.IsType<ResultOutput>(Assert.Single((await Run("string s = null; s")).Outputs));
        Assert.Contains("&lt;null&gt;", r.Data["text/html"]);
    }

    [Fact]
    public async Task Display_and_Display_extension_emit_display_outputs_in_order_with_console()
    {
        var result = await Run("Console.WriteLine(\"a\"); display(\"b\"); Console.Error.WriteLine(\"c\"); 5.Display()");
        Assert.True(result.Succeeded, result.Error?.Value);
        var texts = result.Outputs.Select(Text).ToArray();
        Assert.Equal(4, texts.Length);
        Assert.StartsWith("stdout:a", texts[0]);
        Assert.Equal("text/plain=b", texts[1]);
        Assert.StartsWith("stderr:c", texts[2]);
        Assert.IsType<DisplayOutput>(result.Outputs[3]);
    }

    [Fact]
    public async Task Html_helper_is_raw_html()
    {
        var d = Assert.IsType<DisplayOutput>(Assert.Single((await Run("display(HTML(\"<b>x</b>\"));")).Outputs));
        Assert.Equal("<b>x</b>", d.Data["text/html"]);
    }

    [Fact]
    public async Task Default_usings_are_in_scope()
    {
        var r = await Run("new List<int> { 3, 1, 2 }.OrderBy(i => i).First() + new StringBuilder(\"ab\").Length");
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Equal("3", Shown(Html(r.Outputs[0])));
    }

    [Fact]
    public async Task Compile_error_names_line_and_column_like_the_kernel()
    {
        var r = await Run("var a = 1;\nvar b = ;");
        Assert.False(r.Succeeded);
        Assert.Equal("CompilationError", r.Error!.Name);
        Assert.Contains("(2,9): error CS1525", r.Error.Value);
        Assert.Equal(2, r.Error.Line);
    }

    [Fact]
    public async Task Compile_error_after_hoisted_directive_counts_code_lines_but_reports_the_cell_line()
    {
        var r = await Run("#!csharp\nvar a = 1;\nint b = \"no\";");
        Assert.Contains("(2,9): error CS0029", r.Error!.Value);
        Assert.Equal(3, r.Error.Line);
    }

    [Fact]
    public async Task Runtime_error_reports_exception_and_cell_line()
    {
        var r = await Run("var a = 1;\nvar b = 2;\nthrow new InvalidOperationException(\"boom\");");
        Assert.False(r.Succeeded);
        Assert.Equal("InvalidOperationException", r.Error!.Name);
        Assert.Equal("boom", r.Error.Value);
        Assert.Equal(3, r.Error.Line);
    }

    [Fact]
    public async Task Runtime_error_inside_a_function_of_an_earlier_cell_reports_the_calling_line_of_this_cell()
    {
        Assert.True((await Run("double Inverse(double x) =>\n    x == 0 ? throw new DivideByZeroException(\"x is 0\") : 1 / x;")).Succeeded);
        var r = await Run("var a = Inverse(2);\n\nvar b = Inverse(0);");
        Assert.Equal("DivideByZeroException", r.Error!.Name);
        Assert.Equal(3, r.Error.Line);
        Assert.Contains(r.Error.Traceback, l => l.Contains("Inverse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Console_output_from_other_threads_of_the_cell_is_captured_in_order()
    {
        var r = await Run("Console.WriteLine(\"first\");\nawait Task.Run(() => Console.WriteLine(\"from a worker\"));\nParallel.For(0, 2, i => { });\nConsole.Write(\"last\");");
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Equal("first\nfrom a worker\nlast", string.Concat(r.Outputs.Cast<StreamOutput>().Select(o => o.Text)).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Display_then_result_keep_their_order_and_a_trailing_Display_shows_only_the_display()
    {
        var r = await Run("display(1);\n\"two\"");
        Assert.IsType<DisplayOutput>(r.Outputs[0]);
        Assert.Equal("two", Assert.IsType<ResultOutput>(r.Outputs[1]).Data["text/plain"]);
        var d = await Run("\"only\".Display()");
        Assert.Equal("only", Assert.IsType<DisplayOutput>(Assert.Single(d.Outputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task State_survives_a_failing_cell()
    {
        await Run("var kept = 7;");
        await Run("throw new Exception(\"x\");");
        await Run("int broken = ;");
        Assert.Equal("7", Shown(Html((await Run("kept")).Outputs[0])));
    }

    // Cancels once the cell has printed "running", so the loop is surely executing (not still compiling) when interrupted.
    private async Task<SubmissionResult> Interrupt(string code)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await _session.SubmitAsync(code, o =>
        {
            if (o is StreamOutput { Text: "running" })
            {
                cts.CancelAfter(100);
            }
        }, cts.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the interrupt did not stop the cell promptly.");
        return result;
    }

    [Fact]
    public async Task Endless_loop_is_interrupted_by_cancellation_and_the_session_goes_on()
    {
        await Run("var before = 1;");
        var r = await Interrupt("Console.Write(\"running\");\nwhile (true) { }");
        Assert.False(r.Succeeded);
        Assert.Equal("OperationCanceledException", r.Error!.Name);
        Assert.Equal("The cell was interrupted.", r.Error.Value);
        var after = await Run("before + 1");
        Assert.True(after.Succeeded, after.Error?.Value);
        Assert.Equal("2", Shown(Html(after.Outputs[0])));
    }

    [Theory]
    [InlineData("int i = 0; for (;;) i++;")]
    [InlineData("void F() { do { } while (true); } F();")]
    [InlineData("foreach (var n in Enumerable.Repeat(1, int.MaxValue)) { }\nwhile (true) ;")]
    [InlineData("again: goto again;")]
    [InlineData("var xs = new List<int> { 1 }; int Spin() { while (true) { } } xs.Select(_ => Spin()).ToList();")]
    public async Task Every_kind_of_endless_loop_is_interrupted(string loop)
    {
        var r = await Interrupt("Console.Write(\"running\");\n" + loop);
        Assert.Equal("OperationCanceledException", r.Error!.Name);
    }

    [Fact]
    public async Task Cancellation_before_the_cell_runs_is_an_interruption_not_an_exception()
    {
        var r = await _session.SubmitAsync("1 + 1", null, new CancellationToken(canceled: true));
        Assert.Equal("OperationCanceledException", r.Error!.Name);
        Assert.True((await Run("2 + 2")).Succeeded);
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1", "NoSuitableKernelException", "fsharp")]
    [InlineData("#!pwsh\nGet-Date", "NoSuitableKernelException", "pwsh")]
    [InlineData("#!javascript\nconsole.log(1)", "NoSuitableKernelException", "javascript")]
    [InlineData("#!sql\nselect 1", "NoSuitableKernelException", "sql")]
    [InlineData("#!nonsense\n1", "MagicCommandError", "DNI101 Unknown magic command '#!nonsense'")]
    [InlineData("#!who", "MagicCommandError", "#!who")]
    public async Task Other_kernels_and_unknown_magics_are_errors_that_name_them(string code, string name, string mention)
    {
        var r = await Run("// first line\n" + code);
        Assert.False(r.Succeeded);
        Assert.Equal(name, r.Error!.Name);
        Assert.Equal(2, r.Error.Line);
        Assert.Contains(mention, r.Error.Value);
    }

    [Fact]
    public async Task Time_magic_reports_wall_time()
    {
        var r = await Run("#!time\nvar z = 1;");
        Assert.True(r.Succeeded);
        Assert.StartsWith("Wall time:", ((StreamOutput)Assert.Single(r.Outputs)).Text);
    }

    [Fact]
    public void IsComplete_follows_csharp_syntax()
    {
        Assert.True(_session.IsComplete("var x = 1;"));
        Assert.False(_session.IsComplete("if (true) {"));
    }

    [Fact]
    public async Task Relative_path_reference_resolves_against_the_working_directory()
    {
        var lib = Path.Combine(_dir, "sub");
        Directory.CreateDirectory(lib);
        File.Copy(typeof(Xunit.FactAttribute).Assembly.Location, Path.Combine(lib, "xunit.core.dll"));
        var r = await Run("#r \"sub/xunit.core.dll\"\ntypeof(Xunit.FactAttribute).Name");
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Contains("FactAttribute", Text(r.Outputs[0]));
    }

    [Fact]
    public async Task Missing_path_reference_is_a_compile_error_naming_the_file()
    {
        var r = await Run("#r \"nowhere/missing.dll\"\n1");
        Assert.False(r.Succeeded);
        Assert.Contains("missing.dll", r.Error!.Value);
        Assert.Equal(1, r.Error.Line);
    }
}
