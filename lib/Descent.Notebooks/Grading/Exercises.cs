using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Grading;

/// <summary>A cell's nbgrader metadata (schema 3): what it is in an assignment.</summary>
/// <param name="GradeId">The cell's unique id within the notebook.</param>
/// <param name="Solution">The student writes code here.</param>
/// <param name="Grade">An autograded test cell: its points are earned when it runs without error.</param>
/// <param name="Locked">The student may not change it; the grader restores it from the source.</param>
/// <param name="Points">The points of a test cell.</param>
public sealed record NbgraderCell(string GradeId, bool Solution, bool Grade, bool Locked, double Points)
{
    /// <summary>An autograded test cell: graded, not written by the student.</summary>
    public bool IsTest => Grade && !Solution;

    /// <summary>A written answer graded by hand: graded and written by the student (a markdown cell).</summary>
    public bool IsManual => Grade && Solution;

    /// <summary>The metadata of <paramref name="cell"/>, or null when it has none.</summary>
    public static NbgraderCell? Of(JsonObject cell)
    {
        if (cell["metadata"] is not JsonObject { } metadata || metadata["nbgrader"] is not JsonObject nb)
        {
            return null;
        }

        static bool Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var points = nb["points"] is JsonValue p && p.TryGetValue<double>(out var value) ? value : double.NaN;
        var id = nb["grade_id"] is JsonValue g && g.TryGetValue<string>(out var text) ? text : "";
        return new NbgraderCell(id, Flag(nb["solution"]), Flag(nb["grade"]), Flag(nb["locked"]), points);
    }
}

/// <summary>A problem that stops <c>assign</c>: the notebook, the 1-based cell and what is wrong.</summary>
public sealed record AssignmentProblem(string Notebook, int Cell, string? GradeId, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"{Notebook}, cell {Cell}{(GradeId is null ? "" : $" ({GradeId})")}: {Problem}";
}

/// <summary>
/// nbgrader's conventions for C#: <c>// BEGIN SOLUTION</c> … <c>// END SOLUTION</c> in solution cells and
/// <c>// BEGIN HIDDEN TESTS</c> … <c>// END HIDDEN TESTS</c> in test cells; the student version replaces a solution region
/// with <c>// YOUR CODE HERE</c> and a <c>NotImplementedException</c> naming the exercise, drops hidden tests, and blanks written answers.
/// </summary>
public static class Exercises
{
    /// <summary>The key under the cell metadata's <c>descent</c> object that marks the self-check cell.</summary>
    public const string SelfCheckMarker = "self_check";

    /// <summary>What a written answer's cell holds in the student version (nbgrader's placeholder).</summary>
    public const string AnswerPlaceholder = "YOUR ANSWER HERE";

    /// <summary>The marker lines, as they appear (trimmed) in a cell.</summary>
    public const string BeginSolution = "// BEGIN SOLUTION", EndSolution = "// END SOLUTION", BeginHidden = "// BEGIN HIDDEN TESTS", EndHidden = "// END HIDDEN TESTS";

    /// <summary>Every problem that makes <paramref name="document"/> unusable as an assignment (empty when it is fine).</summary>
    public static IReadOnlyList<AssignmentProblem> Validate(NotebookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<AssignmentProblem>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cell in document.Cells)
        {
            var nb = NbgraderCell.Of(cell.Json);
            void Add(string problem) => problems.Add(new AssignmentProblem(document.Path, cell.Number, string.IsNullOrEmpty(nb?.GradeId) ? null : nb!.GradeId, problem));
            if (nb is not null)
            {
                if (nb.GradeId.Length == 0)
                {
                    Add("nbgrader metadata without a grade_id.");
                }
                else if (ids.TryGetValue(nb.GradeId, out var first))
                {
                    Add($"duplicate grade_id '{nb.GradeId}' (also cell {first}).");
                }
                else
                {
                    ids[nb.GradeId] = cell.Number;
                }

                if (nb.Grade && !(nb.Points >= 0))
                {
                    Add("a graded cell needs \"points\" ≥ 0.");
                }

                if (nb.IsTest && !cell.IsCode)
                {
                    Add("only code cells can be autograded (a written answer is a markdown cell with \"grade\": true and \"solution\": true).");
                }

                if (nb.IsManual && cell.IsCode)
                {
                    Add("a code cell cannot be both a solution and graded: put the code in a solution cell and its checks in a test cell after it.");
                }
            }

            CheckRegions(cell.Source, BeginSolution, EndSolution, nb?.Solution == true, "solution cell", Add);
            CheckRegions(cell.Source, BeginHidden, EndHidden, nb?.Grade == true, "graded test cell", Add);
        }

        return problems;
    }

    /// <summary>The student version of a valid assignment: solutions replaced, hidden tests removed, outputs cleared.</summary>
    /// <exception cref="InvalidOperationException">The notebook has problems (call <see cref="Validate"/> first).</exception>
    public static JsonObject StudentVersion(NotebookDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (Validate(document) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        var root = (JsonObject)document.Root.DeepClone();
        foreach (var cell in root["cells"]!.AsArray().Select(c => c!.AsObject()))
        {
            var nb = NbgraderCell.Of(cell);
            if (nb is { IsManual: true })
            {
                // The instructor's text is the model answer: it stays with the instructor.
                cell["source"] = NotebookDocument.SplitLines(AnswerPlaceholder);
                continue;
            }

            var source = NotebookDocument.JoinSource(cell["source"]);
            var student = RemoveRegions(ReplaceSolutions(source, nb?.GradeId), BeginHidden, EndHidden);
            cell["source"] = NotebookDocument.SplitLines(student);
            if (cell["cell_type"]?.GetValue<string>() == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
        }

        if (document.Cells.Any(c => NbgraderCell.Of(c.Json) is { Grade: true }))
        {
            root["cells"]!.AsArray().Add(SelfCheckCell(Path.GetFileName(document.Path)));
        }

        return root;
    }

    /// <summary>
    /// The last cell of a student version: <c>Descent.SelfCheck.Run</c> on the saved notebook, marked
    /// <c>"descent": {"self_check": true}</c> so that <c>grade</c> and <c>check</c> skip it.
    /// </summary>
    public static JsonObject SelfCheckCell(string notebookFileName) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = new JsonObject { ["descent"] = new JsonObject { [SelfCheckMarker] = true } },
        ["outputs"] = new JsonArray(),
        ["source"] = NotebookDocument.SplitLines(
            "// Check your work: save the notebook, then run this cell. It runs the notebook from the top in a fresh process\n"
            + "// with its visible tests and prints, per exercise, passed or failed and the points (hidden tests run when you are graded).\n"
            + $"Descent.SelfCheck.Run(\"{notebookFileName}\")"),
    };

    /// <summary>Whether <paramref name="cell"/> is the self-check cell <c>assign</c> adds.</summary>
    public static bool IsSelfCheck(JsonObject cell) =>
        cell?["metadata"]?["descent"]?[SelfCheckMarker] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>The lines of <paramref name="source"/> inside <paramref name="begin"/> … <paramref name="end"/> regions (markers excluded).</summary>
    public static IEnumerable<string> RegionLines(string source, string begin, string end) =>
        Scan(source, begin, end).Where(l => l.Kind == LineKind.Inside).Select(l => l.Text);

    private enum LineKind
    {
        Outside,
        Begin,
        Inside,
        End,
    }

    // Each line with where it stands relative to begin … end regions (validated elsewhere; regions do not nest).
    private static IEnumerable<(string Text, LineKind Kind)> Scan(string source, string begin, string end)
    {
        var inside = false;
        foreach (var line in source.Split('\n'))
        {
            var t = line.Trim();
            if (t == begin)
            {
                inside = true;
                yield return (line, LineKind.Begin);
            }
            else if (t == end)
            {
                inside = false;
                yield return (line, LineKind.End);
            }
            else
            {
                yield return (line, inside ? LineKind.Inside : LineKind.Outside);
            }
        }
    }

    private static void CheckRegions(string source, string begin, string end, bool allowed, string kind, Action<string> add)
    {
        var open = 0;
        var lineNumber = 0;
        var any = false;
        foreach (var line in source.Split('\n'))
        {
            lineNumber++;
            var t = line.Trim();
            if (t == begin)
            {
                any = true;
                if (open > 0)
                {
                    add($"line {lineNumber}: '{begin}' inside another '{begin}' (regions do not nest).");
                }

                open++;
            }
            else if (t == end)
            {
                any = true;
                if (open == 0)
                {
                    add($"line {lineNumber}: '{end}' without a '{begin}' before it.");
                }
                else
                {
                    open--;
                }
            }
        }

        if (open > 0)
        {
            add($"'{begin}' is never closed by '{end}'.");
        }

        if (any && !allowed)
        {
            add($"'{begin}' markers are only allowed in a {kind} (set the cell's nbgrader metadata).");
        }
    }

    private static string ReplaceSolutions(string source, string? gradeId) => string.Join('\n', Scan(source, BeginSolution, EndSolution).SelectMany(l => l.Kind switch
    {
        LineKind.Outside => [l.Text],
        LineKind.Begin => [Indent(l.Text) + "// YOUR CODE HERE", Indent(l.Text) + $"throw new NotImplementedException(\"exercise {gradeId}: not implemented yet (your code goes here).\");"],
        _ => Array.Empty<string>(),
    }));

    private static string RemoveRegions(string source, string begin, string end) =>
        string.Join('\n', Scan(source, begin, end).Where(l => l.Kind == LineKind.Outside).Select(l => l.Text)).TrimEnd('\n');

    private static string Indent(string line) => line[..(line.Length - line.TrimStart().Length)];
}
