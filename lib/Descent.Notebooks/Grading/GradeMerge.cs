using Descent.Notebooks.Run;

namespace Descent.Notebooks.Grading;

/// <summary>
/// <c>grade merge &lt;shard-output&gt;... --out DIR</c>: combines the output folders of <c>grade --shard K/N</c> runs into
/// one (reports, manual sheet, gradebook), the same as one run over the whole class would have written.
/// </summary>
public static class GradeMerge
{
    /// <summary>Merges <paramref name="shards"/> into <paramref name="outDir"/>; returns the exit code.</summary>
    public static int Execute(IReadOnlyList<string> shards, string outDir, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(log);
        var manifests = new List<(string Dir, GradeManifest Manifest, IReadOnlyList<SubmissionGrade> Grades)>();
        try
        {
            foreach (var dir in shards)
            {
                var manifest = GradeManifest.Read(dir);
                manifests.Add((dir, manifest, manifest.ReadGrades(dir)));
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"error: {e.Message}");
            return RunCommand.BadInput;
        }

        if (manifests.Count == 0)
        {
            log.WriteLine("error: give the output folders of the shards to merge.");
            return RunCommand.BadInput;
        }

        var first = manifests[0];
        foreach (var (dir, manifest, _) in manifests.Skip(1))
        {
            if (!SameNotebooks(first.Manifest, manifest))
            {
                log.WriteLine($"error: {dir} was graded against other source notebooks than {first.Dir} (their graded cells differ); grade every shard with the same --source.");
                return RunCommand.BadInput;
            }
        }

        var twice = manifests.SelectMany(m => m.Manifest.Submissions.Select(s => (s, m.Dir))).GroupBy(x => x.s).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            log.WriteLine($"error: {twice.Key.Student} {twice.Key.Notebook} was graded in more than one shard ({string.Join(", ", twice.Select(x => x.Dir))}).");
            return RunCommand.BadInput;
        }

        var shardsSeen = manifests.Select(m => m.Manifest.Shard).ToArray();
        if (shardsSeen.All(s => s is not null) && GradeOptions.ParseShard(shardsSeen[0]!) is { } shape && shardsSeen.Distinct().Count() != shape.Count)
        {
            log.WriteLine($"warning: {shardsSeen.Distinct().Count()} of {shape.Count} shards given ({string.Join(", ", shardsSeen)}); the gradebook lists only their submissions.");
        }

        var grades = manifests.SelectMany(m => m.Grades).ToArray();
        foreach (var grade in grades)
        {
            GradeReports.WriteSubmission(outDir, grade);
        }

        var merged = first.Manifest with { Submissions = GradeManifest.Sorted(manifests.SelectMany(m => m.Manifest.Submissions)), Shard = null };
        GradeReports.WriteSummary(outDir, merged, grades);
        log.WriteLine($"{grades.Length} submissions from {manifests.Count} shards merged into {outDir}; gradebook {Path.Combine(outDir, GradeReports.GradebookFile)}");
        return RunCommand.Success;
    }

    private static bool SameNotebooks(GradeManifest a, GradeManifest b) =>
        a.Notebooks.Count == b.Notebooks.Count && a.Notebooks.Zip(b.Notebooks).All(p => p.First.Notebook == p.Second.Notebook && p.First.Exercises.SequenceEqual(p.Second.Exercises));
}
