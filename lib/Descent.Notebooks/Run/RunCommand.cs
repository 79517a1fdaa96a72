using System.Diagnostics;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Engine;
using Descent.Notebooks.Site;

namespace Descent.Notebooks.Run;

/// <summary>
/// <c>run &lt;notebook-or-folder&gt;... [--out DIR] [--timeout SECONDS]</c>: executes notebooks, writes their executed
/// copies and the course site. Exit code 0 when every notebook ran, 1 when a cell failed, 2 on bad input.
/// </summary>
public static class RunCommand
{
    /// <summary>Exit code: every notebook ran.</summary>
    public const int Success = 0;

    /// <summary>Exit code: a cell failed (compile error, exception, timeout).</summary>
    public const int CellFailed = 1;

    /// <summary>Exit code: bad input (missing path, malformed JSON, not a notebook).</summary>
    public const int BadInput = 2;

    /// <summary>Default of <c>--timeout</c>: seconds one cell may run (a chapter's longest cell takes a few seconds).</summary>
    public const double DefaultTimeoutSeconds = 300;

    /// <summary>
    /// Notebooks run at once, each in a worker process (reused for the next notebook after a clean one). Two, because the
    /// machines it runs on have two cores and a cell timeout is wall-clock time.
    /// </summary>
    public const int Parallelism = 2;

    /// <summary>Runs the command; messages go to <paramref name="log"/> (progress, failures, summary).</summary>
    /// <param name="paths">Notebooks and folders.</param>
    /// <param name="outDir">Where the executed copies and the site go.</param>
    /// <param name="timeoutSeconds">Seconds one cell may run.</param>
    /// <param name="log">Progress, failures and the summary.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="limits">How much output one cell keeps (default: <see cref="OutputLimits.Default"/>).</param>
    /// <param name="parallelism">Notebooks (and worker processes) at once (default: <see cref="Parallelism"/>).</param>
    public static async Task<int> ExecuteAsync(
        IReadOnlyList<string> paths, string outDir, double timeoutSeconds, TextWriter log, CancellationToken cancellationToken = default, OutputLimits? limits = null,
        int parallelism = Parallelism)
    {
        if (parallelism < 1)
        {
            log.WriteLine($"error: parallelism must be at least 1, but was {parallelism}.");
            return BadInput;
        }

        if (!(timeoutSeconds > 0))
        {
            log.WriteLine($"error: --timeout must be a positive number of seconds, but was {timeoutSeconds}.");
            return BadInput;
        }

        limits ??= OutputLimits.Default;
        if (limits.Problem() is { } problem)
        {
            log.WriteLine($"error: {problem}");
            return BadInput;
        }

        List<string> notebooks;
        try
        {
            notebooks = Expand(paths);
            foreach (var notebook in notebooks)
            {
                NotebookDocument.Load(notebook);
            }
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            log.WriteLine($"error: {e.Message}");
            return BadInput;
        }

        var clock = Stopwatch.StartNew();
        var results = new NotebookRunResult[notebooks.Count];
        var started = 0;
        var gate = new object();
        // A worker that ran a notebook cleanly takes the next one in a fresh session: a process start per slot, not per notebook.
        await using (var workers = new NotebookWorkers(TimeSpan.FromSeconds(timeoutSeconds), limits))
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, notebooks.Count),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var name = notebooks[i];
                    results[i] = await NotebookRunner.RunAsync(name, workers, (cell, count) =>
                    {
                        lock (gate)
                        {
                            log.WriteLine($"[{i + 1}/{notebooks.Count}] {name}: cell {cell} of {count}");
                        }
                    }, ct);
                    lock (gate)
                    {
                        log.WriteLine(results[i].Failure is { } f
                            ? $"FAILED {f}"
                            : $"ok     {name} ({results[i].Elapsed.TotalSeconds:F1} s)");
                    }
                });
            started = workers.Started;
        }

        var pages = new List<SitePage>();
        var names = UniqueNames(notebooks);
        for (var i = 0; i < notebooks.Count; i++)
        {
            var json = NotebookDocument.Serialize(results[i].Executed);
            NotebookDocument.WriteAtomically(Path.Combine(outDir, names[i] + ".ipynb"), json);
            pages.Add(new SitePage(names[i], names[i] + ".html", json) { RunTime = results[i].Elapsed, CellTimes = results[i].CellTimes });
        }

        SiteWriter.Write(outDir, pages, BrowserBundle.Installed);
        var failed = results.Where(r => !r.Succeeded).ToArray();
        foreach (var failure in failed)
        {
            log.WriteLine($"error: {failure.Failure}");
        }

        log.WriteLine($"{notebooks.Count - failed.Length} of {notebooks.Count} notebooks ran without error in {clock.Elapsed.TotalSeconds:F1} s ({started} worker process{(started == 1 ? "" : "es")}); site written to {Path.Combine(outDir, "index.html")}");
        return failed.Length == 0 ? Success : CellFailed;
    }

    /// <summary>Files as given; folders as every *.ipynb below them (checkpoints excluded), sorted.</summary>
    public static List<string> Expand(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new ArgumentException("give at least one notebook or folder.");
        }

        var result = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                result.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.GetFiles(path, "*.ipynb", SearchOption.AllDirectories)
                    .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new ArgumentException($"folder '{path}' contains no .ipynb notebook.");
                }

                result.AddRange(found);
            }
            else
            {
                throw new FileNotFoundException($"path not found: {path}");
            }
        }

        return result;
    }

    private static string[] UniqueNames(IReadOnlyList<string> notebooks)
    {
        var names = notebooks.Select(n => Path.GetFileNameWithoutExtension(n)).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            if (names.Count(n => n == names[i]) > 1)
            {
                names[i] = Path.GetRelativePath(".", notebooks[i]).Replace(Path.DirectorySeparatorChar, '-').Replace(".ipynb", string.Empty, StringComparison.Ordinal);
            }
        }

        return names;
    }
}
