using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;
using Descent.Notebooks.Workers;

namespace Descent.Notebooks.Grading;

/// <summary>
/// <c>grade &lt;submission-or-folder&gt;... --source &lt;notebook-or-folder&gt; [--out DIR] [--jobs N] [--shard K/N] …</c>:
/// grades each submission in its own sandboxed worker and writes a JSON and an HTML report per submission, the
/// manual-marking sheet and the CSV gradebook (<see cref="GradeReports"/>).
/// </summary>
public static class GradeCommand
{
    /// <summary>Runs the command; progress and the score lines go to <paramref name="log"/>. Returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> submissions, GradeOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        if (options.Problem() is { } bad)
        {
            log.WriteLine($"error: {bad}");
            return RunCommand.BadInput;
        }

        if (!options.NoSandbox && Sandbox.Unavailable is { } why)
        {
            log.WriteLine($"error: {why}");
            return RunCommand.BadInput;
        }

        Dictionary<string, NotebookDocument> sources;
        List<(string Path, string Student, NotebookDocument Source)> work;
        var unmatched = new List<string>();
        try
        {
            sources = Submissions.LoadSources(options.Source);
            work = [];
            foreach (var (path, root) in Submissions.Discover(submissions))
            {
                if (Submissions.SourceFor(sources, options.Source, path) is { } match)
                {
                    work.Add((path, Submissions.StudentOf(path, root, match), match));
                }
                else
                {
                    unmatched.Add(path);
                }
            }

            if (work.Count == 0)
            {
                throw new ArgumentException($"no submission matches a source notebook in {options.Source} by file name (submitted: {string.Join(", ", unmatched.Select(Path.GetFileName).Distinct())}).");
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
            log.WriteLine($"error: {path}: no source notebook named {Path.GetFileName(path)} in {options.Source}; not graded.");
        }

        // A deterministic share: every shard sorts the same list the same way.
        work = [.. work.OrderBy(w => w.Student, StringComparer.Ordinal).ThenBy(w => Path.GetFileName(w.Source.Path), StringComparer.Ordinal)];
        if (options.Shard is { } shard)
        {
            work = [.. work.Where((_, i) => i % shard.Count == shard.Index - 1)];
            log.WriteLine($"shard {shard.Index}/{shard.Count}: {work.Count} submissions");
        }

        var readOnly = options.NoSandbox ? [] : await GradingSandbox.PrepareAsync(sources.Values.ToArray(), options.AllowRead, log, cancellationToken);
        Directory.CreateDirectory(options.OutDir);
        var grades = new SubmissionGrade[work.Count];
        var gate = new object();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, work.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (path, student, match) = work[i];
                var grade = await SubmissionGrader.GradeAsync(path, student, match, options, readOnly, ct);
                try
                {
                    GradeReports.WriteSubmission(options.OutDir, grade);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    grade = grade with { GraderFailed = true, Problem = $"the report could not be written: {e.Message}" };
                }

                grades[i] = grade;
                lock (gate)
                {
                    log.WriteLine(grade.ScoreLine());
                }
            });

        var manifest = GradeManifest.Of(sources.Values, options, grades);
        GradeReports.WriteSummary(options.OutDir, manifest, grades);
        log.WriteLine($"{grades.Length} submissions graded; reports in {options.OutDir}, gradebook {Path.Combine(options.OutDir, GradeReports.GradebookFile)}"
            + (grades.Any(g => g.PendingPoints > 0) ? $"; written answers to mark in {Path.Combine(options.OutDir, ManualSheet.FileName)}" : "")
            + (options.NoSandbox ? "; submissions ran WITHOUT a sandbox (--no-sandbox)" : ""));
        if (grades.Any(g => g.GraderFailed))
        {
            log.WriteLine("error: the grader itself failed on some submissions (see above).");
            return RunCommand.CellFailed;
        }

        return unmatched.Count > 0 ? RunCommand.BadInput : RunCommand.Success;
    }
}
