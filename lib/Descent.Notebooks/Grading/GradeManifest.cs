using System.Text.Encodings.Web;
using System.Text.Json;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Grading;

/// <summary>A graded cell of a source notebook, as the gradebook and the manual sheet need it.</summary>
/// <param name="GradeId">The cell's grade_id.</param>
/// <param name="Points">Its points.</param>
/// <param name="Manual">A written answer graded by hand.</param>
/// <param name="ModelAnswer">The instructor's answer (manual cells only).</param>
public sealed record ManifestExercise(string GradeId, double Points, bool Manual, string? ModelAnswer);

/// <summary>A source notebook's graded cells, in order.</summary>
/// <param name="Notebook">The notebook's file name without extension.</param>
/// <param name="Exercises">Its graded cells.</param>
public sealed record ManifestNotebook(string Notebook, IReadOnlyList<ManifestExercise> Exercises);

/// <summary>A graded submission: where its report is.</summary>
/// <param name="Student">The student.</param>
/// <param name="Notebook">The notebook.</param>
public sealed record ManifestSubmission(string Student, string Notebook);

/// <summary>
/// What one <c>grade</c> run graded (<c>grading.json</c> in its output folder): every source notebook's graded cells,
/// the submissions, the shard and the isolation. <c>grade merge</c> and <c>grade --manual</c> rebuild the gradebook
/// from it and the reports.
/// </summary>
/// <param name="Notebooks">Every source notebook, sorted by name.</param>
/// <param name="Submissions">The submissions graded, sorted by student and notebook.</param>
/// <param name="Shard">"K/N" for a shard, null for the whole class.</param>
public sealed record GradeManifest(IReadOnlyList<ManifestNotebook> Notebooks, IReadOnlyList<ManifestSubmission> Submissions, string? Shard)
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "grading.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The manifest of a run over <paramref name="sources"/> that produced <paramref name="grades"/>.</summary>
    public static GradeManifest Of(IEnumerable<NotebookDocument> sources, GradeOptions options, IEnumerable<SubmissionGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(options);
        var notebooks = sources.OrderBy(s => Path.GetFileName(s.Path), StringComparer.Ordinal).Select(s => new ManifestNotebook(
            Path.GetFileNameWithoutExtension(s.Path),
            s.Cells.Select(c => (Cell: c, Nb: NbgraderCell.Of(c.Json))).Where(t => t.Nb is { Grade: true })
                .Select(t => new ManifestExercise(t.Nb!.GradeId, t.Nb.Points, t.Nb.IsManual, t.Nb.IsManual ? t.Cell.Source.Trim() : null)).ToArray())).ToArray();
        return new GradeManifest(notebooks, Sorted(grades.Select(g => new ManifestSubmission(g.Student, g.Notebook))),
            options.Shard is { } s ? $"{s.Index}/{s.Count}" : null);
    }

    /// <summary>Reads <c>grading.json</c> from a grade output folder.</summary>
    /// <exception cref="FormatException">The folder has no manifest or an unreadable one (the message names the file).</exception>
    public static GradeManifest Read(string outDir)
    {
        var path = Path.Combine(outDir, FileName);
        if (!File.Exists(path))
        {
            throw new FormatException($"{path} not found: '{outDir}' is not an output folder of 'grade'.");
        }

        try
        {
            return JsonSerializer.Deserialize<GradeManifest>(File.ReadAllText(path), Json)
                ?? throw new FormatException($"{path}: empty manifest.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a manifest written by 'grade' ({e.Message})", e);
        }
    }

    /// <summary>Every submission's report in <paramref name="outDir"/>.</summary>
    public IReadOnlyList<SubmissionGrade> ReadGrades(string outDir) =>
        Submissions.Select(s => GradeReports.ReadSubmission(GradeReports.ReportPath(outDir, s.Student, s.Notebook))).ToArray();

    /// <summary>Writes <c>grading.json</c> into <paramref name="outDir"/>.</summary>
    public void Write(string outDir) => NotebookDocument.WriteAtomically(Path.Combine(outDir, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    internal static ManifestSubmission[] Sorted(IEnumerable<ManifestSubmission> submissions) =>
        [.. submissions.OrderBy(s => s.Student, StringComparer.Ordinal).ThenBy(s => s.Notebook, StringComparer.Ordinal)];
}
