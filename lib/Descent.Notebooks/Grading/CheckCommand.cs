using System.Text;
using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;

namespace Descent.Notebooks.Grading;

/// <summary>
/// <c>check &lt;notebook&gt; [--classroom]</c>, the student's self-check (as Otter's <c>otter check</c>): runs the
/// notebook's visible tests the way <c>grade</c> does and prints, per exercise, passed or failed, the failing check's
/// sentence and the points. With <c>--classroom</c> it also writes the result in the payload GitHub Classroom's
/// autograding reporter reads.
/// </summary>
public static class CheckCommand
{
    /// <summary>The reporter's runner id; the workflow passes <c>DESCENT_RESULTS</c> to it.</summary>
    public const string ClassroomRunner = "descent";

    /// <summary>Runs the check; returns 0 when it ran (failing tests are the student's to fix), 2 on bad input.</summary>
    public static async Task<int> ExecuteAsync(string notebook, double cellTimeoutSeconds, bool classroom, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        NotebookDocument document;
        try
        {
            document = NotebookDocument.Load(notebook);
        }
        catch (NotebookFormatException e)
        {
            log.WriteLine($"error: {e.Message}");
            return RunCommand.BadInput;
        }

        if (!document.Cells.Any(c => NbgraderCell.Of(c.Json) is { Grade: true }))
        {
            log.WriteLine($"error: {notebook} has no exercises (no cell with nbgrader \"grade\": true).");
            return RunCommand.BadInput;
        }

        // The student's own code on the student's own machine: no sandbox needed.
        var options = new GradeOptions(notebook, "") { NoSandbox = true, CellTimeoutSeconds = cellTimeoutSeconds, TimeoutSeconds = TimeSpan.FromDays(1).TotalSeconds };
        log.WriteLine($"check {notebook}: running it and its visible tests…");
        var grade = await SubmissionGrader.GradeAsync(notebook, "you", document, options, [], cancellationToken);
        log.Write(Summary(grade));
        if (classroom)
        {
            var line = $"result={ClassroomPayload(grade)}";
            if (Environment.GetEnvironmentVariable("GITHUB_OUTPUT") is { Length: > 0 } output)
            {
                File.AppendAllText(output, line + "\n");
            }
            else
            {
                log.WriteLine(line);
            }
        }

        return grade.GraderFailed ? RunCommand.CellFailed : RunCommand.Success;
    }

    /// <summary>The lines <c>check</c> prints for <paramref name="grade"/>.</summary>
    public static string Summary(SubmissionGrade grade)
    {
        ArgumentNullException.ThrowIfNull(grade);
        var text = new StringBuilder();
        var width = grade.Exercises.Select(e => e.GradeId.Length).DefaultIfEmpty(0).Max();
        foreach (var e in grade.Exercises)
        {
            var mark = e.Manual ? "✎" : e.Points == e.MaxPoints ? "✓" : "✗";
            var points = e.Manual ? $"– / {SubmissionGrade.Points(e.MaxPoints)}" : $"{SubmissionGrade.Points(e.Points)} / {SubmissionGrade.Points(e.MaxPoints)}";
            var why = e.Manual ? "written answer: your instructor marks it"
                : e.Feedback is { } f ? f.Split('\n')[0].Trim() : "passed";
            text.Append("  ").Append(mark).Append(' ').Append(e.GradeId.PadRight(width)).Append("  ").Append(points.PadLeft(9)).Append("  ").Append(why).Append('\n');
        }

        var auto = grade.Exercises.Where(e => !e.Manual).ToArray();
        var manual = grade.Exercises.Where(e => e.Manual).Sum(e => e.MaxPoints);
        text.Append($"visible tests: {SubmissionGrade.Points(auto.Sum(e => e.Points))} / {SubmissionGrade.Points(auto.Sum(e => e.MaxPoints))} points");
        if (manual > 0)
        {
            text.Append($"; {SubmissionGrade.Points(manual)} points of written answers are marked by hand");
        }

        text.Append("; hidden tests run when your instructor grades.\n");
        if (grade.Problem is { } problem)
        {
            text.Append("note: ").Append(problem).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The base64 JSON that GitHub Classroom's autograding reporter reads from <c>DESCENT_RESULTS</c>:
    /// <c>{"version":1,"status","max_score","tests":[{"name","status","score","message",…}]}</c>, one test per autograded cell.
    /// </summary>
    public static string ClassroomPayload(SubmissionGrade grade)
    {
        ArgumentNullException.ThrowIfNull(grade);
        var tests = grade.Exercises.Where(e => !e.Manual).Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.GradeId,
            ["status"] = e.Points == e.MaxPoints ? "pass" : "fail",
            ["score"] = e.Points,
            ["message"] = e.Feedback ?? "",
            ["test_code"] = "",
            ["filename"] = Path.GetFileName(grade.Submission),
            ["line_no"] = 0,
            ["execution_time"] = "",
        }).ToArray();
        var payload = new JsonObject
        {
            ["version"] = 1,
            ["status"] = grade.GraderFailed ? "error" : tests.All(t => t!["status"]!.GetValue<string>() == "pass") ? "pass" : "fail",
            ["max_score"] = grade.Exercises.Where(e => !e.Manual).Sum(e => e.MaxPoints),
            ["tests"] = new JsonArray(tests),
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString()));
    }
}
