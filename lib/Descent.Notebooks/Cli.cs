using System.CommandLine;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Grading;
using Descent.Notebooks.Run;
using Descent.Notebooks.Workers;

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
        var timeout = new Option<double>("--timeout") { Description = "Seconds one cell may run before it is stopped.", DefaultValueFactory = _ => RunCommand.DefaultTimeoutSeconds };
        var streamLines = new Option<int>("--max-stream-lines")
        {
            Description = "Lines of printed output one cell keeps: the first half and the last half, with a marker counting the lines between.",
            DefaultValueFactory = _ => OutputLimits.DefaultStreamLines,
        };
        var outputMegabytes = new Option<double>("--max-output-mb")
        {
            Description = "MB of the largest single display or result a cell keeps (a larger one is replaced by a note naming its size).",
            DefaultValueFactory = _ => OutputLimits.DefaultOutputMegabytes,
        };
        var run = new Command("run", "Execute notebooks (each in its own process), write their executed copies and the course site.") { paths, outDir, timeout, streamLines, outputMegabytes };
        run.SetAction((result, ct) => RunCommand.ExecuteAsync(
            result.GetValue(paths)!, result.GetValue(outDir)!, result.GetValue(timeout), log, ct,
            new OutputLimits { StreamLines = result.GetValue(streamLines), OutputMegabytes = result.GetValue(outputMegabytes) }));

        var cells = new Option<int>("--cells") { Description = "Trivial cells to time after warm-up.", DefaultValueFactory = _ => 200 };
        var bench = new Command("bench", "Measure the engine: cold start to the first cell's result, and the overhead per trivial cell.") { cells };
        bench.SetAction((result, _) => Benchmark.RunAsync(result.GetValue(cells), log));

        var assignPaths = new Argument<string[]>("notebooks") { Description = "Instructor notebooks or folders.", Arity = ArgumentArity.OneOrMore };
        var assignOut = new Option<string>("--out") { Description = "Where the student versions go.", Required = true };
        var classroom = new Option<bool>("--classroom") { Description = "Write a GitHub Classroom template repository per notebook (student notebook, library, dev container, autograding workflow)." };
        var assign = new Command("assign", "Write student versions: solutions replaced, hidden tests removed, written answers blanked, outputs cleared.") { assignPaths, assignOut, classroom };
        assign.SetAction(result => AssignCommand.Execute(result.GetValue(assignPaths)!, result.GetValue(assignOut)!, log, result.GetValue(classroom)));

        var grade = GradeCli(log);
        var check = CheckCli(log);

        var workerFolder = new Option<string>("--folder") { Required = true };
        var workerCellTimeout = new Option<double>("--cell-timeout") { DefaultValueFactory = _ => GradeOptions.DefaultCellTimeoutSeconds };
        var workerOutputLimit = new Option<long>("--output-limit") { DefaultValueFactory = _ => WorkerOptions.DefaultOutputLimitBytes };
        var sendOutputs = new Option<bool>("--send-outputs");
        var enforceLimits = new Option<bool>("--enforce-limits");
        var worker = new Command("worker", "Internal: runs the cells its parent sends, one session, and reports each.")
        {
            workerFolder, workerCellTimeout, workerOutputLimit, streamLines, outputMegabytes, sendOutputs, enforceLimits,
        };
        worker.Hidden = true;
        worker.SetAction((result, _) => WorkerHost.RunAsync(new WorkerHostOptions(
            result.GetValue(workerFolder)!,
            result.GetValue(workerCellTimeout),
            result.GetValue(workerOutputLimit),
            new OutputLimits { StreamLines = result.GetValue(streamLines), OutputMegabytes = result.GetValue(outputMegabytes) },
            result.GetValue(sendOutputs),
            result.GetValue(enforceLimits))));

        var root = new RootCommand("Descent: run, render and grade the course's C# notebooks.") { run, bench, assign, grade, check, worker };
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

    private static Command GradeCli(TextWriter log)
    {
        var submissions = new Argument<string[]>("submissions") { Description = "Submitted notebooks or folders (submissions/<student>/<notebook>.ipynb).", Arity = ArgumentArity.ZeroOrMore };
        var source = new Option<string?>("--source") { Description = "The instructor notebook, or the folder of instructor notebooks (matched by file name)." };
        var outDir = new Option<string>("--out") { Description = "Where reports, manual.csv and gradebook.csv go.", DefaultValueFactory = _ => "grades" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one submission may run in total.", DefaultValueFactory = _ => GradeOptions.DefaultTimeoutSeconds };
        var cellTimeout = new Option<double>("--cell-timeout") { Description = "Seconds one cell may run.", DefaultValueFactory = _ => GradeOptions.DefaultCellTimeoutSeconds };
        var jobs = new Option<int>("--jobs") { Description = "Submissions graded at once (default: the number of cores).", DefaultValueFactory = _ => GradeOptions.DefaultJobs };
        var shard = new Option<string?>("--shard") { Description = "Grade only shard K of N (K/N), a deterministic share of the submissions; combine the shards with 'grade merge'." };
        var noSandbox = new Option<bool>("--no-sandbox") { Description = "Run submissions without the bubblewrap sandbox (only for code you trust; the reports record it)." };
        var memory = new Option<long>("--memory-limit") { Description = "MiB of memory one submission may use.", DefaultValueFactory = _ => WorkerOptions.DefaultMemoryLimitBytes >> 20 };
        var processes = new Option<int>("--process-limit") { Description = "Processes one submission may run at once.", DefaultValueFactory = _ => WorkerOptions.DefaultProcessLimit };
        var output = new Option<long>("--output-limit") { Description = "KiB of output one submission may print.", DefaultValueFactory = _ => WorkerOptions.DefaultOutputLimitBytes >> 10 };
        var allowRead = new Option<string[]>("--allow-read") { Description = "A further file or folder submissions may read (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var manual = new Option<string?>("--manual") { Description = "Merge the marks typed into this manual-marking sheet (manual.csv) into the reports and gradebook in --out." };
        var grade = new Command("grade", "Grade submissions with the instructor's hidden tests, each in its own sandboxed process; write JSON/HTML reports, manual.csv and gradebook.csv.")
        {
            submissions, source, outDir, timeout, cellTimeout, jobs, shard, noSandbox, memory, processes, output, allowRead, manual,
        };
        grade.SetAction(async (result, ct) =>
        {
            var given = result.GetValue(submissions)!;
            if (result.GetValue(manual) is { } sheet)
            {
                if (given.Length > 0)
                {
                    log.WriteLine("error: --manual merges marks into an existing output folder; give no submissions with it.");
                    return RunCommand.BadInput;
                }

                return ManualSheet.Merge(sheet, result.GetValue(outDir)!, log);
            }

            if (given.Length == 0 || result.GetValue(source) is not { } from)
            {
                log.WriteLine("error: grade needs submissions and --source (the instructor notebook or folder); see 'grade --help'.");
                return RunCommand.BadInput;
            }

            (int, int)? shardValue = null;
            if (result.GetValue(shard) is { } text && (shardValue = GradeOptions.ParseShard(text)) is null)
            {
                log.WriteLine($"error: --shard must be K/N (for example 2/4), but was '{text}'.");
                return RunCommand.BadInput;
            }

            var options = new GradeOptions(from, result.GetValue(outDir)!)
            {
                TimeoutSeconds = result.GetValue(timeout),
                CellTimeoutSeconds = result.GetValue(cellTimeout),
                Jobs = result.GetValue(jobs),
                Shard = shardValue,
                NoSandbox = result.GetValue(noSandbox),
                MemoryLimitBytes = result.GetValue(memory) << 20,
                ProcessLimit = result.GetValue(processes),
                OutputLimitBytes = result.GetValue(output) << 10,
                AllowRead = result.GetValue(allowRead) ?? [],
            };
            return await GradeCommand.ExecuteAsync(given, options, log, ct);
        });

        var shards = new Argument<string[]>("shards") { Description = "Output folders of 'grade --shard K/N' runs.", Arity = ArgumentArity.OneOrMore };
        var mergeOut = new Option<string>("--out") { Description = "Where the merged reports and gradebook go.", Required = true };
        var merge = new Command("merge", "Combine the output folders of sharded grade runs into one gradebook.") { shards, mergeOut };
        merge.SetAction(result => GradeMerge.Execute(result.GetValue(shards)!, result.GetValue(mergeOut)!, log));
        grade.Subcommands.Add(merge);
        return grade;
    }

    private static Command CheckCli(TextWriter log)
    {
        var notebook = new Argument<string>("notebook") { Description = "Your notebook." };
        var timeout = new Option<double>("--cell-timeout") { Description = "Seconds one cell may run.", DefaultValueFactory = _ => GradeOptions.DefaultCellTimeoutSeconds };
        var classroom = new Option<bool>("--classroom") { Description = "Also write the result for GitHub Classroom's autograding reporter (to $GITHUB_OUTPUT as 'result')." };
        var check = new Command("check", "Run your notebook's visible tests and print, per exercise, passed or failed and the points.") { notebook, timeout, classroom };
        check.SetAction((result, ct) => CheckCommand.ExecuteAsync(result.GetValue(notebook)!, result.GetValue(timeout), result.GetValue(classroom), log, ct));
        return check;
    }
}
