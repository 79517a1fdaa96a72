using System.Diagnostics;
using System.Globalization;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Grading;
using Descent.Notebooks.Workers;

namespace Descent.Benchmarks;

/// <summary>
/// What the grading sandbox costs per submission, side by side: the same submissions graded with and without it, in
/// strictly alternating rounds so both see the same machine load; medians and the median of per-round ratios.
/// </summary>
internal static class SandboxCost
{
    public static async Task<int> Run(string[] args)
    {
        var rounds = args is ["--rounds", var r, ..] ? int.Parse(r, CultureInfo.InvariantCulture) : 7;
        var root = FindRoot();
        string[] chapters = ["00-start-here", "04-momentum-and-nesterov"];
        var sources = chapters.Select(c => NotebookDocument.Load(Path.Combine(root, "notebooks", c + ".ipynb"))).ToArray();
        var readOnly = await GradingSandbox.PrepareAsync(sources, [], Console.Out, CancellationToken.None);
        Console.WriteLine($"sandbox: {Sandbox.Unavailable ?? "bubblewrap available"}; {rounds} rounds after one warm-up, alternating which goes first");

        // The bare cost: start a worker, run one trivial cell, end it.
        var bare = await Alternate(rounds, async sandboxed =>
        {
            var clock = Stopwatch.StartNew();
            await using var worker = await WorkerProcess.StartAsync(new WorkerOptions(Path.Combine(root, "notebooks"), TimeSpan.FromSeconds(60))
            {
                Sandboxed = sandboxed,
                ReadOnlyPaths = readOnly,
            });
            var report = await worker.RunCellAsync(1, "1 + 1", TimeSpan.FromSeconds(60), CancellationToken.None);
            if (report?.Status != WorkerCellStatus.Completed)
            {
                throw new InvalidOperationException($"trivial cell: {report?.Message ?? worker.LimitHit ?? worker.FirstError}");
            }

            await worker.FinishAsync(TimeSpan.FromSeconds(5));
            return clock.Elapsed.TotalMilliseconds;
        });
        Print("worker start + trivial cell + exit", bare);

        foreach (var source in sources)
        {
            var times = await Alternate(rounds, async sandboxed =>
            {
                var options = new GradeOptions(source.Path, "") { NoSandbox = !sandboxed };
                var grade = await SubmissionGrader.GradeAsync(source.Path, "instructor", source, options, readOnly, CancellationToken.None);
                if (grade.Total != grade.Max - grade.PendingPoints)
                {
                    throw new InvalidOperationException($"{source.Path}: {grade.Problem} {grade.Total}/{grade.Max}");
                }

                return grade.Seconds * 1000;
            });
            Print($"grade {Path.GetFileNameWithoutExtension(source.Path)} (instructor version)", times);
        }

        return 0;
    }

    private static async Task<(List<double> Plain, List<double> Sandboxed, List<double> Ratios)> Alternate(int rounds, Func<bool, Task<double>> measure)
    {
        var (plain, sandboxed, ratios) = (new List<double>(), new List<double>(), new List<double>());
        await measure(true);
        await measure(false);
        for (var i = 0; i < rounds; i++)
        {
            var sandboxFirst = i % 2 == 0;
            var first = await measure(sandboxFirst);
            var second = await measure(!sandboxFirst);
            var (s, p) = sandboxFirst ? (first, second) : (second, first);
            sandboxed.Add(s);
            plain.Add(p);
            ratios.Add(s / p);
        }

        return (plain, sandboxed, ratios);
    }

    private static void Print(string what, (List<double> Plain, List<double> Sandboxed, List<double> Ratios) t) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: unsandboxed median {Median(t.Plain):F0} ms, sandboxed median {Median(t.Sandboxed):F0} ms, sandboxed/unsandboxed median of rounds {Median(t.Ratios):F3} (range {t.Ratios.Min():F3}–{t.Ratios.Max():F3})"));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Descent.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("run from inside the repository (Descent.slnx not found above the current folder).");
    }
}
