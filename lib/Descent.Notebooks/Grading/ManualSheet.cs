using System.Globalization;
using System.Text;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;

namespace Descent.Notebooks.Grading;

/// <summary>
/// The manual-marking round trip: <c>grade</c> writes <c>manual.csv</c>, a row per written answer (the student's answer,
/// the model answer, the points available, and empty <c>points</c> and <c>comment</c> columns for the instructor);
/// <c>grade --manual manual.csv --out DIR</c> merges the marks typed there into the reports, the sheet and the gradebook.
/// </summary>
public static class ManualSheet
{
    /// <summary>The sheet's file name in a grade output folder.</summary>
    public const string FileName = "manual.csv";

    private static readonly string[] Header = ["student", "notebook", "grade_id", "max_points", "points", "comment", "answer", "model_answer"];

    /// <summary>Writes the sheet for <paramref name="grades"/> (marks already given are kept in it).</summary>
    public static void Write(string path, GradeManifest manifest, IEnumerable<SubmissionGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var models = manifest.Notebooks.SelectMany(n => n.Exercises.Where(e => e.Manual).Select(e => (n.Notebook, e.GradeId, e.ModelAnswer)))
            .ToDictionary(m => (m.Notebook, m.GradeId), m => m.ModelAnswer ?? "");
        var csv = new StringBuilder().AppendJoin(',', Header).Append('\n');
        foreach (var g in grades.OrderBy(g => g.Student, StringComparer.Ordinal).ThenBy(g => g.Notebook, StringComparer.Ordinal))
        {
            foreach (var e in g.Exercises.Where(e => e.Manual))
            {
                string[] row =
                [
                    g.Student, g.Notebook, e.GradeId, SubmissionGrade.Points(e.MaxPoints), e.Pending ? "" : SubmissionGrade.Points(e.Points),
                    e.Pending ? "" : e.Feedback ?? "", e.Answer ?? "", models.GetValueOrDefault((g.Notebook, e.GradeId), ""),
                ];
                csv.AppendJoin(',', row.Select(Csv.Quote)).Append('\n');
            }
        }

        NotebookDocument.WriteAtomically(path, csv.ToString());
    }

    /// <summary>
    /// Merges the marks of <paramref name="sheet"/> into the grade output folder <paramref name="outDir"/>. Every row is
    /// checked before anything is written; a bad row is named (file, line, what is wrong) and nothing changes (exit 2).
    /// </summary>
    public static int Merge(string sheet, string outDir, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        GradeManifest manifest;
        Dictionary<(string Student, string Notebook), SubmissionGrade> grades;
        IReadOnlyList<(int Line, string[] Fields)> rows;
        try
        {
            manifest = GradeManifest.Read(outDir);
            grades = manifest.ReadGrades(outDir).ToDictionary(g => (g.Student, g.Notebook));
            rows = File.Exists(sheet) ? Csv.Parse(File.ReadAllText(sheet)) : throw new FileNotFoundException($"the sheet {sheet} was not found.");
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"error: {(e is FormatException && !e.Message.Contains(outDir, StringComparison.Ordinal) ? $"{sheet}: " : "")}{e.Message}");
            return RunCommand.BadInput;
        }

        var problems = new List<string>();
        var columns = rows.Count > 0 ? rows[0].Fields : [];
        int Column(string name)
        {
            var at = Array.IndexOf(columns, name);
            if (at < 0)
            {
                problems.Add($"{sheet}, line 1: no '{name}' column (the header must name {string.Join(", ", Header)}).");
            }

            return at;
        }

        var (student, notebook, id, points, comment) = (Column("student"), Column("notebook"), Column("grade_id"), Column("points"), Column("comment"));
        var marks = new List<(SubmissionGrade Grade, string GradeId, double Points, string? Comment)>();
        if (problems.Count == 0)
        {
            foreach (var (line, fields) in rows.Skip(1))
            {
                string Field(int i) => i < fields.Length ? fields[i].Trim() : "";
                var where = $"{sheet}, line {line}";
                if (fields.Length == 1 && fields[0].Length == 0)
                {
                    continue;
                }

                if (!grades.TryGetValue((Field(student), Field(notebook)), out var grade))
                {
                    problems.Add($"{where}: no report for student '{Field(student)}', notebook '{Field(notebook)}' in {outDir}.");
                    continue;
                }

                var exercise = grade.Exercises.FirstOrDefault(e => e.GradeId == Field(id));
                if (exercise is not { Manual: true })
                {
                    problems.Add($"{where}: '{Field(id)}' is not a written answer of {Field(notebook)}.");
                    continue;
                }

                if (Field(points).Length == 0)
                {
                    continue; // Not marked yet.
                }

                if (!double.TryParse(Field(points), NumberStyles.Float, CultureInfo.InvariantCulture, out var mark) || !(mark >= 0) || mark > exercise.MaxPoints)
                {
                    problems.Add($"{where}: points '{Field(points)}' for {Field(student)} {Field(notebook)} {Field(id)} must be a number from 0 to {SubmissionGrade.Points(exercise.MaxPoints)}.");
                    continue;
                }

                marks.Add((grade, exercise.GradeId, mark, Field(comment) is { Length: > 0 } c ? c : null));
            }
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                log.WriteLine($"error: {problem}");
            }

            log.WriteLine("error: nothing was changed.");
            return RunCommand.BadInput;
        }

        foreach (var byGrade in marks.GroupBy(m => (m.Grade.Student, m.Grade.Notebook)))
        {
            var grade = grades[byGrade.Key];
            var marked = byGrade.GroupBy(m => m.GradeId).ToDictionary(g => g.Key, g => g.Last()); // A later row for the same answer wins.
            var exercises = grade.Exercises.Select(e => marked.TryGetValue(e.GradeId, out var m)
                ? e with { Points = m.Points, Feedback = m.Comment, Pending = false }
                : e).ToArray();
            grades[byGrade.Key] = grade with { Exercises = exercises };
            GradeReports.WriteSubmission(outDir, grades[byGrade.Key]);
        }

        var all = manifest.Submissions.Select(s => grades[(s.Student, s.Notebook)]).ToArray();
        GradeReports.WriteSummary(outDir, manifest, all);
        var pending = all.Sum(g => g.Exercises.Count(e => e.Pending));
        log.WriteLine($"{marks.Count} marks merged into {outDir}; {pending} written answers still to mark.");
        return RunCommand.Success;
    }
}
