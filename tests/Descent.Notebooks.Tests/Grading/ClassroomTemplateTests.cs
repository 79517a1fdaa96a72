using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Grading;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Tests.Grading;

public sealed class ClassroomTemplateTests : IDisposable
{
    private const string Chapter = "00-start-here";
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-classroom-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_template_repository_builds_and_its_workflow_step_reports_the_visible_tests_in_the_reporters_format()
    {
        var log = new StringWriter();
        Assert.Equal(0, AssignCommand.Execute([Path.Combine(Repo.Notebooks, Chapter + ".ipynb")], _dir, log, classroom: true));
        var template = Path.Combine(_dir, Chapter);
        var notebook = File.ReadAllText(Path.Combine(template, "notebooks", Chapter + ".ipynb"));
        Assert.DoesNotContain("BEGIN SOLUTION", notebook);
        Assert.DoesNotContain("HIDDEN", notebook);
        Assert.True(File.Exists(Path.Combine(template, ".devcontainer", "devcontainer.json")));
        Assert.True(File.Exists(Path.Combine(template, "data", "digits.csv")));
        Assert.False(Directory.Exists(Path.Combine(template, "lib", "Descent", "bin")));
        var workflow = File.ReadAllText(Path.Combine(template, ".github", "workflows", "classroom.yml"));
        Assert.Contains($"run: dotnet run --project lib/Descent.Notebooks -- check notebooks/{Chapter}.ipynb --classroom", workflow);
        Assert.Contains("uses: classroom-resources/autograding-grading-reporter@v1", workflow);
        Assert.Contains("DESCENT_RESULTS: \"${{ steps.descent.outputs.result }}\"", workflow);
        Assert.Contains("runners: descent", workflow);

        // The workflow's step, as a runner runs it in the template: build, run check with GITHUB_OUTPUT set.
        var output = Path.Combine(_dir, "github-output");
        var check = Run(template, "dotnet", ["run", "--project", "lib/Descent.Notebooks", "--", "check", $"notebooks/{Chapter}.ipynb", "--classroom"], ("GITHUB_OUTPUT", output));
        Assert.Contains("visible tests: 0 / ", check);
        var line = File.ReadAllLines(output).Single(l => l.StartsWith("result=", StringComparison.Ordinal));
        var payload = JsonNode.Parse(Convert.FromBase64String(line["result=".Length..]))!;
        var visible = NotebookDocument.Load(Path.Combine(template, "notebooks", Chapter + ".ipynb")).Cells
            .Select(c => NbgraderCell.Of(c.Json)).Where(n => n is { IsTest: true }).ToArray();
        Assert.Equal(1, payload["version"]!.GetValue<int>());
        Assert.Equal("fail", (string?)payload["status"]);
        Assert.Equal(visible.Sum(n => n!.Points), payload["max_score"]!.GetValue<double>());
        Assert.Equal(visible.Select(n => n!.GradeId), payload["tests"]!.AsArray().Select(t => (string)t!["name"]!));
        Assert.All(payload["tests"]!.AsArray(), t => Assert.Equal(0, t!["score"]!.GetValue<double>()));

        // The student's own self-check, the last cell of the student version, run where the kernel runs it (its working
        // directory is the notebook's folder): it completes only when check ran on the saved notebook.
        var selfCheck = NotebookDocument.Load(Path.Combine(template, "notebooks", Chapter + ".ipynb")).Cells[^1];
        Assert.True(Exercises.IsSelfCheck(selfCheck.Json));
        await using var worker = await WorkerProcess.StartAsync(new WorkerOptions(Path.Combine(template, "notebooks"), TimeSpan.FromMinutes(5)));
        Assert.Equal(WorkerCellStatus.Completed, (await worker.RunCellAsync(1, "#r \"../lib/Descent/bin/Descent.dll\"", TimeSpan.FromMinutes(5), CancellationToken.None))?.Status);
        var report = await worker.RunCellAsync(2, selfCheck.Source, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.True(report?.Status == WorkerCellStatus.Completed, report?.Message ?? worker.FirstError);
    }

    private static string Run(string folder, string program, string[] arguments, params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var all = stdout + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {all}");
        return all;
    }
}
