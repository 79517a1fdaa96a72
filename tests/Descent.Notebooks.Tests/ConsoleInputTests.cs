using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Tests;

/// <summary>
/// <c>Console.ReadLine()</c> in a cell asks the session's input hook (the kernel's <c>input_request</c>); without one
/// (run, grade) it fails at once with an error naming the problem, and it never reads the process's standard input.
/// </summary>
public sealed class ConsoleInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-input-").FullName;
    private readonly ExecutionSession _session;

    public ConsoleInputTests() => _session = ExecutionSession.Create(new ExecutionSessionOptions(_dir));

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<SubmissionResult> Run(string code)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _session.SubmitAsync(code, null, cts.Token);
    }

    [Fact]
    public async Task Without_a_front_end_ReadLine_fails_with_an_error_naming_the_problem()
    {
        var clock = Stopwatch.StartNew();
        var r = await Run("var name = Console.ReadLine();");
        Assert.False(r.Succeeded);
        Assert.Equal("InvalidOperationException", r.Error!.Name);
        Assert.Equal(CellInput.NoFrontEnd, r.Error.Value);
        Assert.Equal(1, r.Error.Line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task With_an_input_hook_ReadLine_and_Read_get_the_front_ends_lines()
    {
        var answers = new Queue<string?>(["Ada", "xy", null]);
        var requests = new List<InputRequest>();
        _session.Input = (request, token) =>
        {
            requests.Add(request);
            return answers.Dequeue();
        };
        var r = await Run("var a = Console.ReadLine();\nvar x = (char)Console.Read();\nvar rest = Console.In.ReadLine();\nvar end = Console.ReadLine();\n$\"{a}|{x}|{rest}|{end is null}\"");
        Assert.True(r.Succeeded, r.Error?.Value);
        Assert.Equal("Ada|x|y|True", Assert.IsType<ResultOutput>(Assert.Single(r.Outputs)).Data["text/plain"]);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, q => Assert.False(q.Password));

        _session.Input = null;
        Assert.False((await Run("Console.ReadLine()")).Succeeded);
    }

    [Fact]
    public async Task Interrupting_a_cell_that_waits_for_input_stops_it()
    {
        _session.Input = (_, token) =>
        {
            token.WaitHandle.WaitOne();
            token.ThrowIfCancellationRequested();
            return "never";
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var r = await _session.SubmitAsync("Console.ReadLine()", null, cts.Token);
        Assert.Equal("OperationCanceledException", r.Error?.Name);
        _session.Input = null;
        Assert.True((await Run("1 + 1")).Succeeded);
    }

    [Fact]
    public async Task The_run_command_never_reads_its_standard_input_and_never_hangs_on_ReadLine()
    {
        var notebook = Path.Combine(_dir, "reads.ipynb");
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(),
            ["source"] = "var s = Console.ReadLine();\nConsole.WriteLine(\"got \" + s);",
        };
        await File.WriteAllTextAsync(notebook, new JsonObject
        {
            ["cells"] = new JsonArray(cell),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString());
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "descent-notebooks.dll"), "run", notebook, "--out", Path.Combine(_dir, "out")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        // A line waiting on standard input, and the pipe left open: reading it would succeed, waiting for more would hang.
        await process.StandardInput.WriteLineAsync("secret-from-stdin");
        await process.StandardInput.FlushAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the run command hung on Console.ReadLine()");
        }

        var output = await stdout + await stderr;
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("no front end to type it into", output);
        Assert.DoesNotContain("secret-from-stdin", output);
        Assert.DoesNotContain("secret-from-stdin", await File.ReadAllTextAsync(Path.Combine(_dir, "out", "reads.ipynb")));
    }
}
