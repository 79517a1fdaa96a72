using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Descent.Notebooks.Notebooks;
using Descent.Notebooks.Running;

namespace Descent.Notebooks.Grading;

/// <summary>One autograded test cell's result.</summary>
/// <param name="GradeId">The test cell's grade_id.</param>
/// <param name="Points">Points earned (all or nothing per test cell).</param>
/// <param name="MaxPoints">The cell's points.</param>
/// <param name="Feedback">Why points were lost (the failing assertion's message), or null.</param>
public sealed record ExerciseResult(string GradeId, double Points, double MaxPoints, string? Feedback);

/// <summary>The grade of one submission.</summary>
/// <param name="Student">The student (the folder under the submissions root, or the file name).</param>
/// <param name="Notebook">The notebook's file name without extension.</param>
/// <param name="Submission">The submitted file.</param>
/// <param name="Exercises">Every test cell of the source, in order.</param>
/// <param name="Problem">What went wrong with the submission as a whole (malformed JSON, a timeout, a crash), or null.</param>
/// <param name="Seconds">Wall time of grading it.</param>
public sealed record SubmissionGrade(string Student, string Notebook, string Submission, IReadOnlyList<ExerciseResult> Exercises, string? Problem, double Seconds)
{
    /// <summary>The grader itself failed on this submission (not the student's code); <c>grade</c> then exits 1.</summary>
    public bool GraderFailed { get; init; }

    /// <summary>Points earned.</summary>
    public double Total => Exercises.Sum(e => e.Points);

    /// <summary>Points available.</summary>
    public double Max => Exercises.Sum(e => e.MaxPoints);
}

/// <summary>
/// <c>grade &lt;submission-or-folder&gt;... --source &lt;notebook-or-folder&gt; [--out DIR] [--timeout S] [--cell-timeout S]</c>:
/// puts the instructor's locked and test cells (with hidden tests) back into each submission by grade_id, runs it in a
/// separate process with a time limit, and writes a JSON and an HTML report per submission and a CSV gradebook.
/// </summary>
public static partial class Grader
{
    /// <summary>Submissions graded at once (each in its own process).</summary>
    public const int Parallelism = 2;

    /// <summary>Runs the command; progress and the score lines go to <paramref name="log"/>.</summary>
    public static async Task<int> ExecuteAsync(
        IReadOnlyList<string> submissions, string source, string outDir, double timeoutSeconds, double cellTimeoutSeconds, TextWriter log,
        CancellationToken cancellationToken = default)
    {
        if (!(timeoutSeconds > 0) || !(cellTimeoutSeconds > 0))
        {
            log.WriteLine($"error: --timeout and --cell-timeout must be positive numbers of seconds, but were {timeoutSeconds} and {cellTimeoutSeconds}.");
            return RunCommand.BadInput;
        }

        Dictionary<string, NotebookDocument> sources;
        List<(string Path, string Student, NotebookDocument Source)> work;
        var unmatched = new List<string>();
        try
        {
            sources = LoadSources(source);
            work = [];
            foreach (var (path, root) in Discover(submissions))
            {
                if (SourceFor(sources, source, path) is { } match)
                {
                    work.Add((path, StudentOf(path, root, match), match));
                }
                else
                {
                    unmatched.Add(path);
                }
            }

            if (work.Count == 0)
            {
                throw new ArgumentException($"no submission matches a source notebook in {source} by file name (submitted: {string.Join(", ", unmatched.Select(Path.GetFileName).Distinct())}).");
            }

            var clash = work.GroupBy(w => (w.Student, Notebook: Path.GetFileNameWithoutExtension(w.Source.Path))).FirstOrDefault(g => g.Count() > 1);
            if (clash is not null)
            {
                throw new ArgumentException($"two submissions would both be graded as student '{clash.Key.Student}', notebook '{clash.Key.Notebook}': "
                    + $"{string.Join(", ", clash.Select(w => w.Path))} (lay them out as <root>/<student>/<notebook>.ipynb).");
            }
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or InvalidOperationException)
        {
            log.WriteLine($"error: {e.Message}");
            return RunCommand.BadInput;
        }

        foreach (var path in unmatched)
        {
            log.WriteLine($"error: {path}: no source notebook named {Path.GetFileName(path)} in {source}; not graded.");
        }

        Directory.CreateDirectory(outDir);
        var grades = new SubmissionGrade[work.Count];
        var gate = new object();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, work.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (path, student, match) = work[i];
                var grade = await GradeAsync(path, student, match, timeoutSeconds, cellTimeoutSeconds, ct);
                try
                {
                    GradeReports.WriteSubmission(outDir, grade);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    grade = grade with { GraderFailed = true, Problem = $"the report could not be written: {e.Message}" };
                }

                grades[i] = grade;
                lock (gate)
                {
                    log.WriteLine($"{grade.Student} {grade.Notebook}: score: {Format(grade.Total)} / {Format(grade.Max)} ({grade.Seconds:0.0} s)"
                        + (grade.Problem is null ? "" : $" — {grade.Problem}"));
                }
            });

        GradeReports.WriteGradebook(Path.Combine(outDir, "gradebook.csv"), grades, work.Select(w => w.Source).Distinct().OrderBy(d => Path.GetFileName(d.Path), StringComparer.Ordinal));
        log.WriteLine($"{grades.Length} submissions graded; reports in {outDir}, gradebook {Path.Combine(outDir, "gradebook.csv")}");
        if (grades.Any(g => g.GraderFailed))
        {
            log.WriteLine("error: the grader itself failed on some submissions (see above).");
            return RunCommand.CellFailed;
        }

        return unmatched.Count > 0 ? RunCommand.BadInput : RunCommand.Success;
    }

    /// <summary>Grades one submission against <paramref name="source"/> (never throws for a bad submission).</summary>
    public static async Task<SubmissionGrade> GradeAsync(
        string submissionPath, string student, NotebookDocument source, double timeoutSeconds, double cellTimeoutSeconds, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var notebook = Path.GetFileNameWithoutExtension(source.Path);
        var tests = source.Cells.Select(c => (Cell: c, Nb: NbgraderCell.Of(c.Json))).Where(t => t.Nb is { Grade: true }).ToArray();
        SubmissionGrade Zero(string problem) => new(student, notebook, submissionPath,
            tests.Select(t => new ExerciseResult(t.Nb!.GradeId, 0, t.Nb.Points, problem)).ToArray(), problem, clock.Elapsed.TotalSeconds);

        JsonObject graded;
        IReadOnlyDictionary<string, int> positions;
        try
        {
            (graded, positions) = Merge(source, NotebookDocument.Load(submissionPath));
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

        var folder = Path.GetDirectoryName(Path.GetFullPath(source.Path))!;
        var temp = Path.Combine(Path.GetTempPath(), $"descent-grade-{Guid.NewGuid():N}.ipynb");
        try
        {
            var (cells, problem) = await RunAsync(graded, temp, folder, clock, timeoutSeconds, cellTimeoutSeconds, cancellationToken);
            var solutions = source.Cells.Select(c => NbgraderCell.Of(c.Json)).Where(n => n is { Solution: true } && positions.ContainsKey(n.GradeId))
                .Select(n => (Id: n!.GradeId, At: positions[n.GradeId])).ToArray();
            var testPositions = tests.Select(t => positions[t.Nb!.GradeId]).ToArray();
            var results = tests.Select(t =>
            {
                var at = positions[t.Nb!.GradeId];
                if (cells.TryGetValue(at, out var outcome))
                {
                    if (outcome.Ok)
                    {
                        return new ExerciseResult(t.Nb.GradeId, t.Nb.Points, t.Nb.Points, null);
                    }

                    // The test usually fails because of the student's cell before it (e.g. "AdamByHand does not exist"
                    // after a syntax error there): name that cell's own error too.
                    var previousTest = testPositions.Where(p => p < at).DefaultIfEmpty(0).Max();
                    var causes = solutions.Where(c => c.At > previousTest && c.At < at && cells.TryGetValue(c.At, out var o) && !o.Ok)
                        .Select(c => $"{Environment.NewLine}Your cell {c.Id} failed before it: {cells[c.At].Name}: {cells[c.At].Message}");
                    return new ExerciseResult(t.Nb.GradeId, 0, t.Nb.Points, $"{outcome.Name}: {outcome.Message}{string.Concat(causes)}");
                }

                return new ExerciseResult(t.Nb.GradeId, 0, t.Nb.Points, $"not run: {problem ?? "the grader stopped before this cell"}");
            }).ToArray();
            return new SubmissionGrade(student, notebook, submissionPath, results, problem, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Zero($"the grader failed on this submission: {e.GetType().Name}: {e.Message}") with { GraderFailed = true };
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// The notebook to run: the submission's cells in its order, with every locked or test cell of the source put back
    /// (hidden tests included) — in place when the student kept it, after the previous source cell when it was deleted.
    /// Returns it and, for each source test cell's grade_id, its 1-based cell number in the result.
    /// </summary>
    public static (JsonObject Notebook, IReadOnlyDictionary<string, int> Positions) Merge(NotebookDocument source, NotebookDocument submission)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(submission);
        var sourceById = source.Cells.Select(c => (Cell: c, Nb: NbgraderCell.Of(c.Json)))
            .Where(t => t.Nb is { GradeId.Length: > 0 }).ToDictionary(t => t.Nb!.GradeId, t => t);
        var cells = new List<(JsonObject Json, string? Id)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in submission.Cells)
        {
            var id = NbgraderCell.Of(cell.Json)?.GradeId;
            if (id is { Length: > 0 } && sourceById.TryGetValue(id, out var original) && seen.Add(id))
            {
                var restore = original.Nb!.Locked || original.Nb.Grade;
                cells.Add(((JsonObject)(restore ? original.Cell.Json : cell.Json).DeepClone(), id));
            }
            else
            {
                // A student's own cell, or a repeated id: runs as written, earns nothing.
                var copy = (JsonObject)cell.Json.DeepClone();
                (copy["metadata"] as JsonObject)?.Remove("nbgrader");
                cells.Add((copy, null));
            }
        }

        // Put back deleted locked and test cells after the previous source cell the submission still has.
        var insertAfter = -1;
        foreach (var (cell, nb) in source.Cells.Select(c => (c, NbgraderCell.Of(c.Json))))
        {
            if (nb is not { GradeId.Length: > 0 })
            {
                continue;
            }

            var at = cells.FindIndex(c => c.Id == nb.GradeId);
            if (at >= 0)
            {
                insertAfter = at;
            }
            else if (nb.Locked || nb.Grade)
            {
                cells.Insert(++insertAfter, ((JsonObject)cell.Json.DeepClone(), nb.GradeId));
            }
        }

        // A student's cell may declare its own Check (a class or a variable) whose Close/That never fail; the test
        // cells call the library's, by its full name, unless the assignment itself defines a Check.
        var ownCheck = source.Cells.Any(c => OwnCheck().IsMatch(c.Source));
        foreach (var (json, id) in cells)
        {
            if (!ownCheck && id is not null && sourceById[id].Nb!.Grade)
            {
                json["source"] = NotebookDocument.SplitLines(CheckCall().Replace(NotebookDocument.JoinSource(json["source"]), "global::Descent.Check"));
            }
        }

        var root = (JsonObject)submission.Root.DeepClone();
        root["cells"] = new JsonArray(cells.Select(c => (JsonNode)c.Json).ToArray());
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].Id is { } id)
            {
                positions[id] = i + 1;
            }
        }

        return (root, positions);
    }

    /// <summary>Runs of a notebook's worker process at most (the first, and one after each cell that hung or ended the process).</summary>
    private const int MaxRuns = 6;

    /// <summary>
    /// Runs <paramref name="notebook"/> in a worker process. A cell that does not stop when interrupted (leaving the
    /// session unusable) or that ends the process costs only itself: it is replaced by a comment and the notebook
    /// runs again in a new process, the results of the cells after it taken from that run — all within the
    /// submission's time limit.
    /// </summary>
    private static async Task<(Dictionary<int, CellOutcome> Cells, string? Problem)> RunAsync(
        JsonObject notebook, string temp, string folder, Stopwatch clock, double timeoutSeconds, double cellTimeoutSeconds, CancellationToken cancellationToken)
    {
        var cellArray = notebook["cells"]!.AsArray();
        var codeCells = Enumerable.Range(1, cellArray.Count).Where(n => cellArray[n - 1]?["cell_type"]?.GetValue<string>() == "code").ToArray();
        var outcomes = new Dictionary<int, CellOutcome>();
        var notes = new List<string>();
        var settled = 0; // cells up to here have their outcome from an earlier run
        for (var attempt = 1; ; attempt++)
        {
            var remaining = timeoutSeconds - clock.Elapsed.TotalSeconds;
            if (remaining <= 0)
            {
                return (outcomes, $"the submission did not finish within {timeoutSeconds:0.#} s and was stopped");
            }

            NotebookDocument.WriteAtomically(temp, NotebookDocument.Serialize(notebook));
            var run = await RunWorkerAsync(temp, folder, remaining, cellTimeoutSeconds, cancellationToken);
            foreach (var (cell, outcome) in run.Cells.Where(c => c.Key > settled))
            {
                outcomes[cell] = outcome;
            }

            if (run.Problem is not null)
            {
                return (outcomes, run.Problem);
            }

            var stuck = run.Cells.Where(c => c.Key > settled && c.Value.Stuck).Select(c => c.Key).DefaultIfEmpty(0).Min();
            int culprit;
            if (stuck > 0)
            {
                culprit = stuck;
                notes.Add($"cell {stuck} did not stop after {cellTimeoutSeconds:0.#} s; the cells after it ran in a new process");
            }
            else if (run.Done)
            {
                break;
            }
            else if (run.TimedOut)
            {
                return (outcomes, $"the submission did not finish within {timeoutSeconds:0.#} s and was stopped");
            }
            else
            {
                // The process ended (Environment.Exit, a stack overflow, a crash) in the first cell that did not report.
                var last = run.Cells.Keys.Where(k => k > settled).DefaultIfEmpty(settled).Max();
                culprit = codeCells.FirstOrDefault(n => n > last);
                var ended = $"the submission's process ended {(culprit > 0 ? $"in cell {culprit}" : "after its last cell")} (exit code {run.ExitCode}){run.FirstError}";
                if (culprit == 0)
                {
                    return (outcomes, ended);
                }

                outcomes[culprit] = new CellOutcome(false, "ProcessExit", ended, false);
                notes.Add(ended + "; the cells after it ran in a new process");
            }

            if (attempt == MaxRuns)
            {
                return (outcomes, string.Join("; ", notes) + $"; stopped after {MaxRuns} runs");
            }

            foreach (var after in outcomes.Keys.Where(k => k > culprit).ToArray())
            {
                outcomes.Remove(after);
            }

            cellArray[culprit - 1]!["source"] = NotebookDocument.SplitLines("// skipped by the grader: this cell hung or ended the process in an earlier run");
            settled = culprit;
        }

        return (outcomes, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    private sealed record CellOutcome(bool Ok, string? Name, string? Message, bool Stuck);

    /// <summary>One worker process's run: the cells it reported and how it ended.</summary>
    private sealed record WorkerRun(Dictionary<int, CellOutcome> Cells, bool Done, bool TimedOut, int? ExitCode, string FirstError, string? Problem);

    private static async Task<WorkerRun> RunWorkerAsync(
        string notebook, string folder, double timeoutSeconds, double cellTimeoutSeconds, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + " ";
        var program = typeof(Grader).Assembly.Location;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var psi = new ProcessStartInfo(host, ["exec", program, "grade-worker", notebook, "--folder", folder, "--cell-timeout", cellTimeoutSeconds.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
            StandardOutputEncoding = Encoding.UTF8,
        };
        var cells = new Dictionary<int, CellOutcome>();
        string? fatal = null;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outputClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = psi };
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                outputClosed.TrySetResult();
                return;
            }

            if (!e.Data.StartsWith(token, StringComparison.Ordinal))
            {
                return;
            }

            JsonNode json;
            try
            {
                json = JsonNode.Parse(e.Data[token.Length..])!;
            }
            catch (JsonException)
            {
                return;
            }

            lock (cells)
            {
                if (json["done"] is not null)
                {
                    done.TrySetResult();
                }
                else if (json["fatal"] is { } f)
                {
                    fatal = f.GetValue<string>();
                }
                else
                {
                    cells[json["cell"]!.GetValue<int>()] = new CellOutcome(json["ok"]!.GetValue<bool>(), json["name"]?.GetValue<string>(),
                        json["message"]?.GetValue<string>(), json["stuck"]?.GetValue<bool>() == true);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (stderr)
                {
                    // The start is what explains a crash ("Stack overflow.", "Unhandled exception. …"); a submission may
                    // write without limit to the process's standard error.
                    if (stderr.Length < 16_000)
                    {
                        stderr.AppendLine(line.Length > 2000 ? line[..2000] : line);
                    }
                }
            }
        };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new WorkerRun(cells, false, false, null, "", $"the grader could not start its worker process ({host}): {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.StandardInput.WriteLineAsync(token);
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var timedOut = false;
        try
        {
            var exited = process.WaitForExitAsync(limit.Token);
            if (await Task.WhenAny(exited, done.Task) == done.Task)
            {
                // Every cell has reported; a thread the student started may keep the process alive, so end it soon.
                using var grace = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
                grace.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException) when (!limit.IsCancellationRequested)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            else
            {
                await exited;
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            timedOut = true;
        }

        await process.WaitForExitAsync(CancellationToken.None);
        // The last lines the asynchronous reader may still hold (bounded: a detached grandchild may keep the pipe open).
        await Task.WhenAny(outputClosed.Task, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        lock (cells)
        {
            var problem = cancellationToken.IsCancellationRequested ? "grading was cancelled"
                : fatal is not null ? $"the notebook could not be run: {fatal}"
                : null;
            return new WorkerRun(new Dictionary<int, CellOutcome>(cells), done.Task.IsCompleted, timedOut, process.ExitCode, FirstLine(stderr), problem);
        }
    }

    private static string FirstLine(StringBuilder stderr)
    {
        lock (stderr)
        {
            var first = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return first is null ? "" : $": {(first.Length > 300 ? first[..300] + "…" : first.TrimEnd('.'))}";
        }
    }

    private static Dictionary<string, NotebookDocument> LoadSources(string source)
    {
        var files = RunCommand.Expand([source]);
        var documents = new Dictionary<string, NotebookDocument>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var document = NotebookDocument.Load(file);
            if (Exercises.Validate(document) is { Count: > 0 } problems)
            {
                throw new ArgumentException($"the source is not a valid assignment:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
            }

            if (!documents.TryAdd(Path.GetFileName(file), document))
            {
                throw new ArgumentException($"two source notebooks are named {Path.GetFileName(file)}.");
            }
        }

        return documents;
    }

    // The source notebook for a submission: the only one when --source is a file, else the one with its file name.
    private static NotebookDocument? SourceFor(Dictionary<string, NotebookDocument> sources, string source, string submission) =>
        File.Exists(source) ? sources.Values.Single() : sources.GetValueOrDefault(Path.GetFileName(submission));

    /// <summary>Submissions and the folder argument they were found under (null for a file given directly).</summary>
    private static List<(string Path, string? Root)> Discover(IReadOnlyList<string> paths)
    {
        var result = new List<(string, string?)>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                result.Add((path, null));
            }
            else if (Directory.Exists(path))
            {
                result.AddRange(RunCommand.Expand([path]).Select(file => (file, (string?)path)));
            }
            else
            {
                throw new FileNotFoundException($"path not found: {path}");
            }
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("give at least one submission or folder.");
        }

        return result;
    }

    /// <summary>
    /// The student of a submission: nbgrader's <c>root/student/…/notebook.ipynb</c> gives the folder under the root;
    /// a file named like its source notebook and given directly (<c>submissions/alice/01-x.ipynb</c>) gives its folder;
    /// otherwise (flat <c>alice.ipynb</c>) the file name.
    /// </summary>
    private static string StudentOf(string path, string? root, NotebookDocument source)
    {
        if (root is not null)
        {
            var relative = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return relative.Length > 1 ? relative[0] : Path.GetFileNameWithoutExtension(path);
        }

        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return Path.GetFileName(path) == Path.GetFileName(source.Path) && !string.IsNullOrEmpty(folder)
            ? folder
            : Path.GetFileNameWithoutExtension(path);
    }

    [GeneratedRegex(@"(?<![\w.:@""$])Check(?=\s*\.\s*[A-Z]\w*\s*[(<])")]
    private static partial Regex CheckCall();

    [GeneratedRegex(@"\b(class|struct|record|interface|enum|delegate)\s+Check\b|\bCheck\s*=[^=]")]
    private static partial Regex OwnCheck();

    internal static string Format(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);
}
