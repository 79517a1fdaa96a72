using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Grading;

/// <summary>
/// The grader's outputs in one folder: per submission <c>student/notebook.json</c> and <c>.html</c>, the run's
/// <see cref="GradeManifest"/> (<c>grading.json</c>), the manual-marking sheet and <c>gradebook.csv</c>. The gradebook
/// and the sheet are always rebuilt from the manifest and the reports, so a merge of shards or of manual marks gives
/// the same files as one run would.
/// </summary>
public static class GradeReports
{
    /// <summary>The gradebook's file name.</summary>
    public const string GradebookFile = "gradebook.csv";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON report of <paramref name="student"/>'s <paramref name="notebook"/> under <paramref name="outDir"/>.</summary>
    public static string ReportPath(string outDir, string student, string notebook) => Path.Combine(outDir, SafeName(student), notebook + ".json");

    /// <summary>Writes the JSON and HTML reports of <paramref name="grade"/> under <paramref name="outDir"/>/student/.</summary>
    public static void WriteSubmission(string outDir, SubmissionGrade grade)
    {
        ArgumentNullException.ThrowIfNull(grade);
        var path = ReportPath(outDir, grade.Student, grade.Notebook);
        var report = new
        {
            grade.Student,
            grade.Notebook,
            grade.Submission,
            Score = grade.Total,
            MaxScore = grade.Max,
            ManualPending = grade.PendingPoints,
            grade.Problem,
            grade.GraderFailed,
            grade.Isolation,
            Seconds = Math.Round(grade.Seconds, 2),
            Exercises = grade.Exercises.Select(e => new
            {
                e.GradeId,
                e.Points,
                e.MaxPoints,
                Passed = !e.Pending && e.Points == e.MaxPoints,
                e.Feedback,
                e.Manual,
                e.Pending,
                e.Answer,
            }),
        };
        NotebookDocument.WriteAtomically(path, JsonSerializer.Serialize(report, Json) + "\n");
        NotebookDocument.WriteAtomically(Path.ChangeExtension(path, ".html"), Html(grade));
    }

    /// <summary>Reads a JSON report written by <see cref="WriteSubmission"/>.</summary>
    /// <exception cref="FormatException">The file is not such a report (the message names it).</exception>
    public static SubmissionGrade ReadSubmission(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!;
            var exercises = json["exercises"]!.AsArray().Select(e => new ExerciseResult(
                e!["grade_id"]!.GetValue<string>(), e["points"]!.GetValue<double>(), e["max_points"]!.GetValue<double>(), e["feedback"]?.GetValue<string>())
            {
                Manual = e["manual"]?.GetValue<bool>() == true,
                Pending = e["pending"]?.GetValue<bool>() == true,
                Answer = e["answer"]?.GetValue<string>(),
            }).ToArray();
            return new SubmissionGrade(json["student"]!.GetValue<string>(), json["notebook"]!.GetValue<string>(), json["submission"]!.GetValue<string>(),
                exercises, json["problem"]?.GetValue<string>(), json["seconds"]!.GetValue<double>())
            {
                GraderFailed = json["grader_failed"]?.GetValue<bool>() == true,
                Isolation = json["isolation"]?.GetValue<string>() ?? GradeOptions.SandboxName,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new FormatException($"{path}: not a grade report written by 'grade' ({e.Message})", e);
        }
    }

    /// <summary>Writes the manifest, the manual-marking sheet (when the notebooks have written answers) and the gradebook.</summary>
    public static void WriteSummary(string outDir, GradeManifest manifest, IReadOnlyList<SubmissionGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(grades);
        manifest.Write(outDir);
        if (manifest.Notebooks.Any(n => n.Exercises.Any(e => e.Manual)))
        {
            ManualSheet.Write(Path.Combine(outDir, ManualSheet.FileName), manifest, grades);
        }

        WriteGradebook(Path.Combine(outDir, GradebookFile), manifest, grades);
    }

    /// <summary>Writes the gradebook: one row per submission, a column per graded cell of every notebook.</summary>
    public static void WriteGradebook(string path, GradeManifest manifest, IReadOnlyList<SubmissionGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(grades);
        var columns = manifest.Notebooks.SelectMany(n => n.Exercises.Select(e => e.GradeId)).Distinct().ToArray();
        var csv = new StringBuilder();
        csv.Append("student,notebook,").AppendJoin(',', columns.Select(Csv.Quote)).Append(",total,max,manual_pending,problem\n");
        foreach (var g in grades.OrderBy(g => g.Student, StringComparer.Ordinal).ThenBy(g => g.Notebook, StringComparer.Ordinal))
        {
            var byId = g.Exercises.ToDictionary(e => e.GradeId);
            csv.Append(Csv.Quote(g.Student)).Append(',').Append(Csv.Quote(g.Notebook)).Append(',');
            csv.AppendJoin(',', columns.Select(c => byId.TryGetValue(c, out var e) && !e.Pending ? SubmissionGrade.Points(e.Points) : ""));
            csv.Append(',').Append(SubmissionGrade.Points(g.Total)).Append(',').Append(SubmissionGrade.Points(g.Max))
                .Append(',').Append(SubmissionGrade.Points(g.PendingPoints)).Append(',').Append(Csv.Quote(g.Problem ?? "")).Append('\n');
        }

        NotebookDocument.WriteAtomically(path, csv.ToString());
    }

    private static string Html(SubmissionGrade g)
    {
        static string E(string? s) => Site.Html.Escape(s ?? "");
        static string Status(ExerciseResult e) => e.Pending ? "pending" : e.Points == e.MaxPoints ? "pass" : "fail";
        var rows = string.Concat(g.Exercises.Select(e =>
            $"<tr class=\"{Status(e)}\"><td>{E(e.GradeId)}{(e.Manual ? " (written answer)" : "")}</td>" +
            $"<td>{(e.Pending ? "–" : SubmissionGrade.Points(e.Points))} / {SubmissionGrade.Points(e.MaxPoints)}</td>" +
            $"<td>{(e.Feedback is null ? "✓" : $"<pre>{E(e.Feedback)}</pre>")}</td></tr>\n"));
        var pending = g.PendingPoints > 0 ? $" · {SubmissionGrade.Points(g.PendingPoints)} points awaiting manual grading" : "";
        var isolation = g.Isolation == GradeOptions.SandboxName ? "" : $"<p class=\"problem\">Graded without a sandbox: {E(g.Isolation)}</p>";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(g.Student)}} · {{E(g.Notebook)}}: {{SubmissionGrade.Points(g.Total)}} / {{SubmissionGrade.Points(g.Max)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
            td,th{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}tr.pass td:nth-child(2){color:#17693a}tr.fail td:nth-child(2){color:#b00020}
            tr.pending td:nth-child(2){color:#8a6d00}pre{white-space:pre-wrap;margin:0}.problem{background:#fff3cd;padding:.6rem;border:1px solid #e0c36a}</style></head>
            <body><h1>{{E(g.Notebook)}}</h1><p>Student: <strong>{{E(g.Student)}}</strong> · Score: <strong>{{SubmissionGrade.Points(g.Total)}} / {{SubmissionGrade.Points(g.Max)}}</strong>{{pending}} · graded in {{g.Seconds.ToString("0.0", CultureInfo.InvariantCulture)}} s</p>
            {{(g.Problem is null ? "" : $"<p class=\"problem\">{E(g.Problem)}</p>")}}{{isolation}}
            <table><thead><tr><th>exercise</th><th>points</th><th>feedback</th></tr></thead><tbody>
            {{rows}}</tbody></table></body></html>

            """;
    }

    internal static string SafeName(string s) => string.Concat(s.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '/' or '\\' ? '_' : c));
}
