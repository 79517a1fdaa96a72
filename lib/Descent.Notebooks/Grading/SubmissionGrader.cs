using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Grading;

/// <summary>
/// Grades one submission: merges it with its source (<see cref="SubmissionMerge"/>), sends its code cells one by one to
/// a worker process (sandboxed unless <c>--no-sandbox</c>), and turns the cells' outcomes into points and feedback.
/// </summary>
public static class SubmissionGrader
{
    /// <summary>Worker processes one submission may use at most (the first, and one after each cell that hung or ended the process).</summary>
    private const int MaxWorkers = 6;

    /// <summary>Grades <paramref name="submissionPath"/> against <paramref name="source"/> (never throws for a bad submission).</summary>
    /// <param name="submissionPath">The submitted notebook.</param>
    /// <param name="student">The student it is graded for.</param>
    /// <param name="source">The instructor notebook.</param>
    /// <param name="options">Limits and isolation.</param>
    /// <param name="readOnlyPaths">What the sandbox shows besides the runtime and package caches (the library build, data).</param>
    /// <param name="cancellationToken">Stops grading.</param>
    public static async Task<SubmissionGrade> GradeAsync(
        string submissionPath, string student, NotebookDocument source, GradeOptions options, IReadOnlyList<string> readOnlyPaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var notebook = Path.GetFileNameWithoutExtension(source.Path);
        var isolation = options.NoSandbox ? GradeOptions.NoSandboxName : GradeOptions.SandboxName;
        var graded = source.Cells.Select(c => NbgraderCell.Of(c.Json)).Where(n => n is { Grade: true }).Select(n => n!).ToArray();
        SubmissionGrade Zero(string problem) => new SubmissionGrade(student, notebook, submissionPath,
            graded.Select(n => new ExerciseResult(n.GradeId, 0, n.Points, problem) { Manual = n.IsManual }).ToArray(), problem, clock.Elapsed.TotalSeconds)
        { Isolation = isolation };

        JsonObject merged;
        IReadOnlyDictionary<string, int> positions;
        try
        {
            (merged, positions) = SubmissionMerge.Merge(source, NotebookDocument.Load(submissionPath));
        }
        catch (NotebookFormatException e)
        {
            return Zero($"the submission could not be read: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            // Cells or metadata of the wrong JSON type (e.g. a number where text belongs), or an unreadable file.
            return Zero($"the submission could not be read: {submissionPath}: {e.Message}");
        }

        try
        {
            var cells = merged["cells"]!.AsArray().Select(c => c!.AsObject()).ToArray();
            var code = Enumerable.Range(1, cells.Length).Where(n => cells[n - 1]["cell_type"]?.GetValue<string>() == "code")
                .Select(n => (Number: n, Source: NotebookDocument.JoinSource(cells[n - 1]["source"]))).ToArray();
            var worker = new WorkerOptions(Path.GetDirectoryName(Path.GetFullPath(source.Path))!, TimeSpan.FromSeconds(options.CellTimeoutSeconds))
            {
                MemoryLimitBytes = options.MemoryLimitBytes,
                ProcessLimit = options.ProcessLimit,
                OutputLimitBytes = options.OutputLimitBytes,
                ReadOnlyPaths = readOnlyPaths,
                Sandboxed = !options.NoSandbox,
            };
            var (outcomes, problem) = await RunAsync(code, worker, clock, options.TimeoutSeconds, cancellationToken);
            var results = Results(source, cells, positions, outcomes, problem);
            return new SubmissionGrade(student, notebook, submissionPath, results, problem, clock.Elapsed.TotalSeconds) { Isolation = isolation };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Zero($"the grader failed on this submission: {e.GetType().Name}: {e.Message}") with { GraderFailed = true };
        }
    }

    private static ExerciseResult[] Results(
        NotebookDocument source, JsonObject[] cells, IReadOnlyDictionary<string, int> positions, Dictionary<int, WorkerCellReport> outcomes, string? problem)
    {
        var nbgrader = source.Cells.Select(c => NbgraderCell.Of(c.Json)).Where(n => n is not null).Select(n => n!).ToArray();
        var solutions = nbgrader.Where(n => n.Solution && !n.IsManual && positions.ContainsKey(n.GradeId)).Select(n => (Id: n.GradeId, At: positions[n.GradeId])).ToArray();
        var testPositions = nbgrader.Where(n => n.IsTest).Select(n => positions[n.GradeId]).ToArray();
        return nbgrader.Where(n => n.Grade).Select(n =>
        {
            if (n.IsManual)
            {
                var answer = positions.TryGetValue(n.GradeId, out var cell) ? NotebookDocument.JoinSource(cells[cell - 1]["source"]).Trim() : "";
                return new ExerciseResult(n.GradeId, 0, n.Points, "awaiting manual grading") { Manual = true, Pending = true, Answer = answer };
            }

            var at = positions[n.GradeId];
            if (!outcomes.TryGetValue(at, out var outcome))
            {
                return new ExerciseResult(n.GradeId, 0, n.Points, $"not run: {problem ?? "the grader stopped before this cell"}");
            }

            if (outcome.Status == WorkerCellStatus.Completed)
            {
                return new ExerciseResult(n.GradeId, n.Points, n.Points, null);
            }

            // The test usually fails because of the student's cell before it (e.g. "AdamByHand does not exist" after a
            // syntax error there): name that cell's own error too.
            var previousTest = testPositions.Where(p => p < at).DefaultIfEmpty(0).Max();
            var causes = solutions.Where(c => c.At > previousTest && c.At < at && outcomes.TryGetValue(c.At, out var o) && o.Status != WorkerCellStatus.Completed)
                .Select(c => $"{Environment.NewLine}Your cell {c.Id} failed before it: {outcomes[c.At].Name}: {outcomes[c.At].Message}");
            return new ExerciseResult(n.GradeId, 0, n.Points, $"{outcome.Name}: {outcome.Message}{string.Concat(causes)}");
        }).ToArray();
    }

    /// <summary>
    /// Runs the code cells in worker processes. A cell that does not stop when interrupted, or that ends the process,
    /// costs only itself: the cells before it are replayed in a new worker (their outcomes kept from the first time),
    /// it is skipped, and the rest run there — all within the submission's time limit. A memory or output limit ends
    /// the submission.
    /// </summary>
    private static async Task<(Dictionary<int, WorkerCellReport> Outcomes, string? Problem)> RunAsync(
        (int Number, string Source)[] code, WorkerOptions options, Stopwatch clock, double timeoutSeconds, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<int, WorkerCellReport>();
        var skipped = new HashSet<int>();
        var notes = new List<string>();
        string TimeUp() => $"the submission did not finish within {timeoutSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s and was stopped";
        string? Problem(string? last = null) => last is null && notes.Count == 0 ? null : string.Join("; ", last is null ? notes : notes.Append(last));
        for (var attempt = 1; attempt <= MaxWorkers; attempt++)
        {
            await using var worker = await WorkerProcess.StartAsync(options);
            int? culprit = null;
            foreach (var (number, source) in code)
            {
                // A timed-out cell is not replayed: it would only time out again.
                if (skipped.Contains(number) || outcomes.GetValueOrDefault(number)?.Status == WorkerCellStatus.TimedOut)
                {
                    continue;
                }

                var remaining = TimeSpan.FromSeconds(timeoutSeconds) - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    return (outcomes, Problem(TimeUp()));
                }

                var report = await worker.RunCellAsync(number, source, remaining, cancellationToken);
                if (report is not null)
                {
                    outcomes.TryAdd(number, report);
                    if (report.Status == WorkerCellStatus.Stuck)
                    {
                        notes.Add($"cell {number} did not stop after {options.CellTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s; the cells after it ran in a new process");
                        culprit = number;
                        break;
                    }

                    if (report.EndsWorker)
                    {
                        return (outcomes, Problem(report.Message));
                    }

                    continue;
                }

                if (worker.LimitHit is { } limit)
                {
                    outcomes.TryAdd(number, new WorkerCellReport(number, WorkerCellStatus.Failed, "Limit", limit));
                    return (outcomes, Problem(limit));
                }

                if (clock.Elapsed.TotalSeconds >= timeoutSeconds)
                {
                    return (outcomes, Problem(TimeUp()));
                }

                // The process ended (Environment.Exit, a stack overflow, a crash) in this cell.
                await worker.DisposeAsync();
                var ended = worker.EndCause(number);
                outcomes[number] = new WorkerCellReport(number, WorkerCellStatus.Failed, "ProcessExit", ended);
                notes.Add(ended + "; the cells after it ran in a new process");
                culprit = number;
                break;
            }

            if (culprit is not { } c)
            {
                await worker.FinishAsync(TimeSpan.FromSeconds(5));
                return (outcomes, Problem());
            }

            skipped.Add(c);
        }

        return (outcomes, Problem($"stopped after {MaxWorkers} worker processes"));
    }
}
