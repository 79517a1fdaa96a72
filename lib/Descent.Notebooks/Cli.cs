using System.CommandLine;
using Descent.Notebooks.Running;

namespace Descent.Notebooks;

/// <summary>The command line: <c>run &lt;notebook-or-folder&gt;... [--out DIR] [--timeout SECONDS]</c> and <c>bench [--cells N]</c>.</summary>
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

        var root = new RootCommand("Descent: run, render and grade the course's C# notebooks.") { run, bench };
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
