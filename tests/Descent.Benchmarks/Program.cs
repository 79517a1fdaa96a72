using System.Diagnostics;
using BenchmarkDotNet.Running;
using Descent.Benchmarks;
using Descent.Notebooks.Engine;

// Side-by-side measurements (not timed tests): run with
//   dotnet run -c Release --project tests/Descent.Benchmarks -- runner          the notebook engine's per-cell overhead
//   dotnet run -c Release --project tests/Descent.Benchmarks -- steps [--json f] optimizer steps, triad, MLP epoch (quick)
//   dotnet run -c Release --project tests/Descent.Benchmarks -- bdn [BenchmarkDotNet args, e.g. --filter '*Step*']
//   dotnet run -c Release --project tests/Descent.Benchmarks -- cells notebooks/02-….ipynb   the slowest cells of a chapter
//   dotnet run -c Release --project tests/Descent.Benchmarks -- sandbox [--rounds n]   grading with and without the sandbox
//   /usr/bin/python3 tests/Descent.Benchmarks/side-by-side/compare.py               ours next to PyTorch, one table
// and quote the medians; the machine is shared and noisy.
switch (args)
{
    case ["steps", .. var rest]:
        return SideBySide.Run(rest);
    case ["cells", var notebook]:
        return await CellTimes.Run(notebook);
    case ["bdn", .. var rest]:
        BenchmarkSwitcher.FromAssembly(typeof(OptimizerStepBenchmarks).Assembly).Run(rest);
        return 0;
    case ["sandbox", .. var rest]:
        return await SandboxCost.Run(rest);
    case ["runner"]:
        break;
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Descent.Benchmarks -- runner | steps [--sizes n,…] [--reps r] [--mlp-epochs e] [--json out.json] | cells notebook.ipynb | sandbox [--rounds n] | bdn [BenchmarkDotNet args]");
        return 2;
}

var folder = Directory.CreateTempSubdirectory("descent-bench-").FullName;
var first = Stopwatch.StartNew();
using var session = ExecutionSession.Create(new ExecutionSessionOptions(folder));
var result = await session.SubmitAsync("1 + 1", null, CancellationToken.None);
var cold = first.Elapsed.TotalMilliseconds;
if (!result.Succeeded)
{
    Console.Error.WriteLine(result.Error!.Value);
    return 1;
}

// Warm-up, then trivial cells that each produce a formatted result.
for (var i = 0; i < 20; i++)
{
    await session.SubmitAsync($"var w{i} = {i};", null, CancellationToken.None);
}

var times = new List<double>();
for (var i = 0; i < 200; i++)
{
    var clock = Stopwatch.StartNew();
    await session.SubmitAsync($"{i} * 2", null, CancellationToken.None);
    times.Add(clock.Elapsed.TotalMilliseconds);
}

times.Sort();
Console.WriteLine($"cold start, session created and first cell run: {cold:F0} ms");
Console.WriteLine($"trivial cell after warm-up, 200 cells: median {times[100]:F1} ms, p90 {times[180]:F1} ms, max {times[^1]:F1} ms");
Directory.Delete(folder, recursive: true);
return 0;
