using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Grading;

/// <summary>Puts a submission and its source notebook together into the notebook that is graded.</summary>
public static partial class SubmissionMerge
{
    /// <summary>
    /// The notebook to run: the submission's cells in its order, with every locked or test cell of the source put back
    /// (hidden tests included) — in place when the student kept it, after the previous source cell when it was deleted.
    /// Returns it and, for each source test cell's grade_id, its 1-based cell number in the result.
    /// </summary>
    public static (JsonObject Notebook, IReadOnlyDictionary<string, int> Positions) Merge(NotebookDocument source, NotebookDocument submission)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(submission);
        var sourceById = source.Cells.Select(c => (Cell: c, Nb: NbgraderCell.Of(c.Json)))
            .Where(t => t.Nb is { GradeId.Length: > 0 }).ToDictionary(t => t.Nb!.GradeId, t => t);
        var cells = new List<(JsonObject Json, string? Id)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in submission.Cells)
        {
            var id = NbgraderCell.Of(cell.Json)?.GradeId;
            if (id is not { Length: > 0 } && Exercises.IsSelfCheck(cell.Json))
            {
                continue; // It would run check inside the grading; it earns nothing anyway.
            }

            if (id is { Length: > 0 } && sourceById.TryGetValue(id, out var original) && seen.Add(id))
            {
                var restore = original.Nb!.Locked || original.Nb.IsTest;
                cells.Add(((JsonObject)(restore ? original.Cell.Json : cell.Json).DeepClone(), id));
            }
            else
            {
                // A student's own cell, or a repeated id: runs as written, earns nothing.
                var copy = (JsonObject)cell.Json.DeepClone();
                (copy["metadata"] as JsonObject)?.Remove("nbgrader");
                cells.Add((copy, null));
            }
        }

        // Put back deleted locked and test cells after the previous source cell the submission still has.
        var insertAfter = -1;
        foreach (var (cell, nb) in source.Cells.Select(c => (c, NbgraderCell.Of(c.Json))))
        {
            if (nb is not { GradeId.Length: > 0 })
            {
                continue;
            }

            var at = cells.FindIndex(c => c.Id == nb.GradeId);
            if (at >= 0)
            {
                insertAfter = at;
            }
            else if (nb.Locked || nb.IsTest)
            {
                cells.Insert(++insertAfter, ((JsonObject)cell.Json.DeepClone(), nb.GradeId));
            }
        }

        // A student's cell may declare its own Check (a class or a variable) whose Close/That never fail; the test
        // cells call the library's, by its full name, unless the assignment itself defines a Check.
        var ownCheck = source.Cells.Any(c => OwnCheck().IsMatch(c.Source));
        foreach (var (json, id) in cells)
        {
            if (!ownCheck && id is not null && sourceById[id].Nb!.IsTest)
            {
                json["source"] = NotebookDocument.SplitLines(CheckCall().Replace(NotebookDocument.JoinSource(json["source"]), "global::Descent.Check"));
            }
        }

        var root = (JsonObject)submission.Root.DeepClone();
        root["cells"] = new JsonArray(cells.Select(c => (JsonNode)c.Json).ToArray());
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].Id is { } id)
            {
                positions[id] = i + 1;
            }
        }

        return (root, positions);
    }

    [GeneratedRegex(@"(?<![\w.:@""$])Check(?=\s*\.\s*[A-Z]\w*\s*[(<])")]
    private static partial Regex CheckCall();

    [GeneratedRegex(@"\b(class|struct|record|interface|enum|delegate)\s+Check\b|\bCheck\s*=[^=]")]
    private static partial Regex OwnCheck();
}
