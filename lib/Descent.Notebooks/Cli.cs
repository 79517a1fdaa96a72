using System.CommandLine;
using Descent.Notebooks.Running;

namespace Descent.Notebooks;

/// <summary>
/// The command line: <c>run &lt;notebook-or-folder&gt;... [--out DIR] [--timeout SECONDS]</c>, <c>bench [--cells N]</c>,
/// <c>assign &lt;notebook-or-folder&gt;... --out DIR</c> and <c>grade &lt;submission-or-folder&gt;... --source PATH [--out DIR]</c>.
/// </summary>
internal static class Cli
{
    /// <summary>Parses and runs <paramref name="args"/>; progress and errors go to <paramref name="log"/>. Returns the exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter log, CancellationToken cancellationToken = default)
    {
        var paths = new Argument<string[]>("notebooks") { Description = "Notebooks or folders (every *.ipynb below, sorted).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Where executed notebooks and the site go.", DefaultValueFactory = _ => "artifacts" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one cell may run before it is stopped.", DefaultValueFactory = _ => 300 };
        var run = new Command("run", "Execute notebooks, write their executed copies and the course site.") { paths, outDir, timeout };
        run.SetAction((result, ct) => RunCommand.ExecuteAsync(
            result.GetValue(paths)!, result.GetValue(outDir)!, result.GetValue(timeout), log, ct));

        var cells = new Option<int>("--cells") { Description = "Trivial cells to time after warm-up.", DefaultValueFactory = _ => 200 };
        var bench = new Command("bench", "Measure the engine: cold start to the first cell's result, and the overhead per trivial cell.") { cells };
        bench.SetAction((result, _) => Benchmark.RunAsync(result.GetValue(cells), log));

        var assignPaths = new Argument<string[]>("notebooks") { Description = "Instructor notebooks or folders.", Arity = ArgumentArity.OneOrMore };
        var assignOut = new Option<string>("--out") { Description = "Where the student versions go.", Required = true };
        var assign = new Command("assign", "Write student versions: solutions replaced, hidden tests removed, outputs cleared.") { assignPaths, assignOut };
        assign.SetAction(result => Grading.AssignCommand.Execute(result.GetValue(assignPaths)!, result.GetValue(assignOut)!, log));

        var submissions = new Argument<string[]>("submissions") { Description = "Submitted notebooks or folders (submissions/<student>/<notebook>.ipynb).", Arity = ArgumentArity.OneOrMore };
        var source = new Option<string>("--source") { Description = "The instructor notebook, or the folder of instructor notebooks (matched by file name).", Required = true };
        var gradeOut = new Option<string>("--out") { Description = "Where reports and gradebook.csv go.", DefaultValueFactory = _ => "grades" };
        var gradeTimeout = new Option<double>("--timeout") { Description = "Seconds one submission may run in total.", DefaultValueFactory = _ => 600 };
        var cellTimeout = new Option<double>("--cell-timeout") { Description = "Seconds one cell may run.", DefaultValueFactory = _ => 120 };
        var grade = new Command("grade", "Grade submissions with the instructor's hidden tests, in a separate process each; write JSON/HTML reports and a CSV gradebook.")
        {
            submissions, source, gradeOut, gradeTimeout, cellTimeout,
        };
        grade.SetAction((result, ct) => Grading.Grader.ExecuteAsync(result.GetValue(submissions)!, result.GetValue(source)!, result.GetValue(gradeOut)!,
            result.GetValue(gradeTimeout), result.GetValue(cellTimeout), log, ct));

        var workerNotebook = new Argument<string>("notebook");
        var workerFolder = new Option<string>("--folder") { Required = true };
        var workerCellTimeout = new Option<double>("--cell-timeout") { DefaultValueFactory = _ => 120 };
        var worker = new Command("grade-worker", "Internal: runs one notebook for grade and reports each cell.") { workerNotebook, workerFolder, workerCellTimeout };
        worker.Hidden = true;
        worker.SetAction((result, _) => Grading.GradeWorker.RunAsync(result.GetValue(workerNotebook)!, result.GetValue(workerFolder)!, result.GetValue(workerCellTimeout)));

        var root = new RootCommand("Descent: run, render and grade the course's C# notebooks.") { run, bench, assign, grade, worker };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                log.WriteLine($"error: {error.Message}");
            }

            return RunCommand.BadInput;
        }

        return await parsed.InvokeAsync(cancellationToken: cancellationToken);
    }
}
