using System.Diagnostics;
using Descent.Notebooks.Execution;

// Side-by-side measurements (not timed tests): run with
//   dotnet run -c Release --project tests/Descent.Benchmarks -- runner
// and quote the medians; the machine is shared and noisy.
if (args is not ["runner"])
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Descent.Benchmarks -- runner");
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
