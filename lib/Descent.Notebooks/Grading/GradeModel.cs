using System.Globalization;

namespace Descent.Notebooks.Grading;

/// <summary>One graded cell's result: an autograded test cell, or a written answer marked by hand.</summary>
/// <param name="GradeId">The cell's grade_id.</param>
/// <param name="Points">Points earned (all or nothing for a test cell; the instructor's mark for a written answer).</param>
/// <param name="MaxPoints">The cell's points.</param>
/// <param name="Feedback">Why points were lost (the failing assertion's message), the instructor's comment, or null.</param>
public sealed record ExerciseResult(string GradeId, double Points, double MaxPoints, string? Feedback)
{
    /// <summary>A written answer graded by hand (a markdown cell with <c>"grade": true, "solution": true</c>).</summary>
    public bool Manual { get; init; }

    /// <summary>A written answer the instructor has not marked yet (it counts 0 until then).</summary>
    public bool Pending { get; init; }

    /// <summary>The student's written answer (manual cells only).</summary>
    public string? Answer { get; init; }
}

/// <summary>The grade of one submission.</summary>
/// <param name="Student">The student (the folder under the submissions root, or the file name).</param>
/// <param name="Notebook">The notebook's file name without extension.</param>
/// <param name="Submission">The submitted file.</param>
/// <param name="Exercises">Every graded cell of the source, in order.</param>
/// <param name="Problem">What went wrong with the submission as a whole (malformed JSON, a timeout, a limit), or null.</param>
/// <param name="Seconds">Wall time of grading it.</param>
public sealed record SubmissionGrade(string Student, string Notebook, string Submission, IReadOnlyList<ExerciseResult> Exercises, string? Problem, double Seconds)
{
    /// <summary>The grader itself failed on this submission (not the student's code); <c>grade</c> then exits 1.</summary>
    public bool GraderFailed { get; init; }

    /// <summary>How the student's code was isolated: "bubblewrap", or "none (--no-sandbox)".</summary>
    public string Isolation { get; init; } = GradeOptions.SandboxName;

    /// <summary>Points earned.</summary>
    public double Total => Exercises.Sum(e => e.Points);

    /// <summary>Points available.</summary>
    public double Max => Exercises.Sum(e => e.MaxPoints);

    /// <summary>Points of written answers still waiting for the instructor's mark.</summary>
    public double PendingPoints => Exercises.Where(e => e.Pending).Sum(e => e.MaxPoints);

    /// <summary>The console line of this grade: <c>alice 07-x: score: 3 / 5 (12.1 s)</c>, and what is pending or went wrong.</summary>
    public string ScoreLine() =>
        $"{Student} {Notebook}: score: {Points(Total)} / {Points(Max)} ({Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s)"
        + (PendingPoints > 0 ? $", {Points(PendingPoints)} awaiting manual grading" : "")
        + (Problem is null ? "" : $" — {Problem}");

    /// <summary>Points as the reports print them (up to two decimals, invariant culture).</summary>
    public static string Points(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>How <c>grade</c> runs: where from and to, its limits, isolation, parallelism and shard.</summary>
/// <param name="Source">The instructor notebook, or the folder of instructor notebooks.</param>
/// <param name="OutDir">Where reports, the gradebook and the manual-marking sheet go.</param>
public sealed record GradeOptions(string Source, string OutDir)
{
    /// <summary>Default of <see cref="TimeoutSeconds"/>.</summary>
    public const double DefaultTimeoutSeconds = 600;

    /// <summary>Default of <see cref="CellTimeoutSeconds"/> (<c>grade</c>, <c>check</c> and the worker).</summary>
    public const double DefaultCellTimeoutSeconds = 120;

    /// <summary>The isolation recorded in reports when the sandbox is on.</summary>
    public const string SandboxName = "bubblewrap";

    /// <summary>The isolation recorded in reports under <c>--no-sandbox</c>.</summary>
    public const string NoSandboxName = "none (--no-sandbox)";

    /// <summary>Seconds one submission may run in total.</summary>
    public double TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary>Seconds one cell may run.</summary>
    public double CellTimeoutSeconds { get; init; } = DefaultCellTimeoutSeconds;

    /// <summary>Submissions graded at once, each in its own worker process.</summary>
    public int Jobs { get; init; } = DefaultJobs;

    /// <summary>Default of <see cref="Jobs"/>: the number of cores.</summary>
    public static int DefaultJobs => Environment.ProcessorCount;

    /// <summary>Grade only shard <c>Index</c> (1-based) of <c>Count</c>, a deterministic share of the submissions; null for all.</summary>
    public (int Index, int Count)? Shard { get; init; }

    /// <summary>Run submissions without the sandbox (recorded in every report).</summary>
    public bool NoSandbox { get; init; }

    /// <summary>Memory a submission may use (its processes' resident memory added up).</summary>
    public long MemoryLimitBytes { get; init; } = Workers.WorkerOptions.DefaultMemoryLimitBytes;

    /// <summary>Processes a submission may run at once.</summary>
    public int ProcessLimit { get; init; } = Workers.WorkerOptions.DefaultProcessLimit;

    /// <summary>Output a submission may print.</summary>
    public long OutputLimitBytes { get; init; } = Workers.WorkerOptions.DefaultOutputLimitBytes;

    /// <summary>Further paths submissions may read (besides the library build and data the source notebooks use).</summary>
    public IReadOnlyList<string> AllowRead { get; init; } = [];

    /// <summary>The first problem with these options, or null when they are usable.</summary>
    public string? Problem() =>
        !(TimeoutSeconds > 0) || !(CellTimeoutSeconds > 0) ? $"--timeout and --cell-timeout must be positive numbers of seconds, but were {TimeoutSeconds} and {CellTimeoutSeconds}."
        : Jobs < 1 ? $"--jobs must be at least 1, but was {Jobs}."
        : MemoryLimitBytes < 64L << 20 ? $"--memory-limit must be at least 64 (MiB), but was {MemoryLimitBytes >> 20}."
        : ProcessLimit < 1 ? $"--process-limit must be at least 1, but was {ProcessLimit}."
        : OutputLimitBytes < 1024 ? $"--output-limit must be at least 1 (KiB), but was {OutputLimitBytes >> 10}."
        : Shard is { } s && (s.Count < 1 || s.Index < 1 || s.Index > s.Count) ? $"--shard must be K/N with 1 ≤ K ≤ N, but was {s.Index}/{s.Count}."
        : null;

    /// <summary>Parses <c>K/N</c>; null when <paramref name="text"/> is not of that form.</summary>
    public static (int Index, int Count)? ParseShard(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (k, n)
            : null;
    }
}
