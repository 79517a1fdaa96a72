using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Descent.Notebooks.Notebooks;

namespace Descent.Notebooks.Grading;

/// <summary>The grader's outputs: per submission <c>student/notebook.json</c> and <c>.html</c>, and <c>gradebook.csv</c>.</summary>
public static class GradeReports
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the JSON and HTML reports of <paramref name="grade"/> under <paramref name="outDir"/>/student/.</summary>
    public static void WriteSubmission(string outDir, SubmissionGrade grade)
    {
        ArgumentNullException.ThrowIfNull(grade);
        var folder = Path.Combine(outDir, SafeName(grade.Student));
        Directory.CreateDirectory(folder);
        var report = new
        {
            grade.Student,
            grade.Notebook,
            grade.Submission,
            Score = grade.Total,
            MaxScore = grade.Max,
            grade.Problem,
            Seconds = Math.Round(grade.Seconds, 2),
            Exercises = grade.Exercises.Select(e => new { e.GradeId, e.Points, e.MaxPoints, Passed = e.Points == e.MaxPoints, e.Feedback }),
        };
        NotebookDocument.WriteAtomically(Path.Combine(folder, grade.Notebook + ".json"), JsonSerializer.Serialize(report, Json) + "\n");
        NotebookDocument.WriteAtomically(Path.Combine(folder, grade.Notebook + ".html"), Html(grade));
    }

    /// <summary>Writes the gradebook: one row per submission, a column per test cell of every source notebook.</summary>
    public static void WriteGradebook(string path, IReadOnlyList<SubmissionGrade> grades, IEnumerable<NotebookDocument> sources)
    {
        ArgumentNullException.ThrowIfNull(grades);
        var columns = sources.SelectMany(s => s.Cells.Select(c => NbgraderCell.Of(c.Json)).Where(n => n is { Grade: true }).Select(n => n!.GradeId)).Distinct().ToArray();
        var csv = new StringBuilder();
        csv.Append("student,notebook,").AppendJoin(',', columns.Select(Quote)).Append(",total,max,problem\n");
        foreach (var g in grades.OrderBy(g => g.Student, StringComparer.Ordinal).ThenBy(g => g.Notebook, StringComparer.Ordinal))
        {
            var byId = g.Exercises.ToDictionary(e => e.GradeId, e => e.Points);
            csv.Append(Quote(g.Student)).Append(',').Append(Quote(g.Notebook)).Append(',');
            csv.AppendJoin(',', columns.Select(c => byId.TryGetValue(c, out var p) ? Grader.Format(p) : ""));
            csv.Append(',').Append(Grader.Format(g.Total)).Append(',').Append(Grader.Format(g.Max)).Append(',').Append(Quote(g.Problem ?? "")).Append('\n');
        }

        NotebookDocument.WriteAtomically(path, csv.ToString());
    }

    private static string Html(SubmissionGrade g)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var rows = string.Concat(g.Exercises.Select(e =>
            $"<tr class=\"{(e.Points == e.MaxPoints ? "pass" : "fail")}\"><td>{E(e.GradeId)}</td><td>{Grader.Format(e.Points)} / {Grader.Format(e.MaxPoints)}</td>" +
            $"<td>{(e.Feedback is null ? "✓" : $"<pre>{E(e.Feedback)}</pre>")}</td></tr>\n"));
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(g.Student)}} · {{E(g.Notebook)}}: {{Grader.Format(g.Total)}} / {{Grader.Format(g.Max)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
            td,th{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}tr.pass td:nth-child(2){color:#17693a}tr.fail td:nth-child(2){color:#b00020}
            pre{white-space:pre-wrap;margin:0}.problem{background:#fff3cd;padding:.6rem;border:1px solid #e0c36a}</style></head>
            <body><h1>{{E(g.Notebook)}}</h1><p>Student: <strong>{{E(g.Student)}}</strong> · Score: <strong>{{Grader.Format(g.Total)}} / {{Grader.Format(g.Max)}}</strong> · graded in {{g.Seconds.ToString("0.0", CultureInfo.InvariantCulture)}} s</p>
            {{(g.Problem is null ? "" : $"<p class=\"problem\">{E(g.Problem)}</p>")}}
            <table><thead><tr><th>exercise (test cell)</th><th>points</th><th>feedback</th></tr></thead><tbody>
            {{rows}}</tbody></table></body></html>

            """;
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string SafeName(string s) => string.Concat(s.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '/' or '\\' ? '_' : c));
}
