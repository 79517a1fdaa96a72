using System.CommandLine;
using Descent.Notebooks.Running;

namespace Descent.Notebooks;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var paths = new Argument<string[]>("notebooks") { Description = "Notebooks or folders (every *.ipynb below, sorted).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Where executed notebooks and the site go.", DefaultValueFactory = _ => "artifacts" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one cell may run before it is stopped.", DefaultValueFactory = _ => 300 };
        var run = new Command("run", "Execute notebooks, write their executed copies and the course site.") { paths, outDir, timeout };
        run.SetAction((result, ct) => RunCommand.ExecuteAsync(
            result.GetValue(paths)!, result.GetValue(outDir)!, result.GetValue(timeout), Console.Error, ct));

        var root = new RootCommand("Descent: run, render and grade the course's C# notebooks.") { run };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            return RunCommand.BadInput;
        }

        return await parsed.InvokeAsync();
    }
}
