using System.Text.Json.Nodes;
using Descent.Notebooks.Grading;

namespace Descent.Notebooks.Tests.Grading;

/// <summary>
/// Every chapter in notebooks/ graded twice in one <c>grade</c> run (two worker processes at a time): the committed
/// instructor version as student "instructor" and the untouched <c>assign</c> output as student "blank".
/// </summary>
public sealed class GradedChapters : IDisposable
{
    public GradedChapters()
    {
        var release = Path.Combine(Dir, "release");
        Assert.Equal(0, AssignCommand.Execute([Repo.Notebooks], release, TextWriter.Null));
        foreach (var (student, from) in new[] { ("instructor", Repo.Notebooks), ("blank", release) })
        {
            var folder = Directory.CreateDirectory(Path.Combine(Submissions, student)).FullName;
            foreach (var chapter in Directory.GetFiles(from, "*.ipynb"))
            {
                File.Copy(chapter, Path.Combine(folder, Path.GetFileName(chapter)));
            }
        }

        var log = new StringWriter();
        ExitCode = GradeCommand.ExecuteAsync([Submissions], new GradeOptions(Repo.Notebooks, Out) { TimeoutSeconds = 600, CellTimeoutSeconds = 240, NoSandbox = SandboxSupport.GradeWithoutSandbox }, log).GetAwaiter().GetResult();
        Log = log.ToString();
    }

    public string Dir { get; } = Directory.CreateTempSubdirectory("descent-chapters-").FullName;

    public string Submissions => Path.Combine(Dir, "submissions");

    public string Out => Path.Combine(Dir, "grades");

    public int ExitCode { get; }

    public string Log { get; }

    public JsonNode Report(string student, string chapter) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Out, student, Path.GetFileNameWithoutExtension(chapter) + ".json")))!;

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

public sealed class ChapterGradingTests(GradedChapters graded) : IClassFixture<GradedChapters>
{
    [Fact]
    public void Grading_every_chapter_completes_with_a_score_line_each()
    {
        Assert.True(graded.ExitCode == 0, graded.Log);
        Assert.Equal(2 * AssignTests.Chapters().Count, graded.Log.Split('\n').Count(l => l.Contains(": score: ", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(AssignTests.Chapters), MemberType = typeof(AssignTests))]
    public void The_instructor_version_of_every_chapter_gets_full_marks(string chapter)
    {
        var report = graded.Report("instructor", chapter);
        var failed = report["exercises"]!.AsArray().Where(e => (string?)e!["feedback"] is not null && e["pending"]?.GetValue<bool>() != true).Select(e => $"{e!["grade_id"]}: {e["feedback"]}");
        // Written answers wait for the instructor's mark; every autograded point is earned.
        var autograded = report["max_score"]!.GetValue<double>() - report["manual_pending"]!.GetValue<double>();
        Assert.True(report["score"]!.GetValue<double>() == autograded, $"{chapter}: {report["problem"]} {string.Join("; ", failed)}");
        Assert.True(report["max_score"]!.GetValue<double>() > 0);
    }

    [Theory]
    [MemberData(nameof(AssignTests.Chapters), MemberType = typeof(AssignTests))]
    public void The_untouched_student_version_of_every_chapter_gets_zero_and_runs_to_the_end(string chapter)
    {
        var report = graded.Report("blank", chapter);
        Assert.Equal(0, report["score"]!.GetValue<double>());
        Assert.True(report["problem"] is null, $"{chapter}: {report["problem"]}");
        Assert.All(report["exercises"]!.AsArray(), e => Assert.NotNull((string?)e!["feedback"]));
    }
}
