using System.Globalization;
using System.Text;

namespace Descent;

/// <summary>
/// Self-check questions with immediate feedback: the student sets an answer variable, runs the cell and reads the
/// verdict. An unanswered question (null) prints the question, never an error, so a notebook runs top to bottom.
/// </summary>
public static class Quiz
{
    /// <summary>A multiple-choice question; options are lettered A, B, C, …</summary>
    /// <param name="question">The question.</param>
    /// <param name="options">The options, in order.</param>
    /// <param name="correct">The correct letter.</param>
    /// <param name="yours">The student's letter (case-insensitive), or null when not answered yet.</param>
    /// <param name="explanation">Why the correct option is right, shown with the verdict.</param>
    /// <returns>The feedback text.</returns>
    public static string Choice(string question, IReadOnlyList<string> options, char correct, char? yours, string explanation)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count is < 2 or > 26)
        {
            throw new ArgumentException($"a question needs 2 to 26 options, but has {options.Count}.", nameof(options));
        }

        var last = (char)('A' + options.Count - 1);
        var key = char.ToUpperInvariant(correct);
        if (key < 'A' || key > last)
        {
            throw new ArgumentOutOfRangeException(nameof(correct), correct, $"the correct letter must be A–{last}, but was '{correct}'.");
        }

        var text = new StringBuilder(question).AppendLine();
        for (var i = 0; i < options.Count; i++)
        {
            text.Append("  ").Append((char)('A' + i)).Append(") ").AppendLine(options[i]);
        }

        if (yours is null)
        {
            return text.Append("? Not answered yet: set your letter above and run the cell again.").ToString();
        }

        var mine = char.ToUpperInvariant(yours.Value);
        if (mine < 'A' || mine > last)
        {
            return text.Append($"? '{yours}' is not an option: choose a letter from A to {last}.").ToString();
        }

        return (mine == key
            ? text.Append($"✓ Correct ({key}). ").Append(explanation)
            : text.Append($"✗ Not quite: you chose {mine}, the answer is {key}. ").Append(explanation)).ToString();
    }

    /// <summary>A calculation; an answer within <paramref name="relativeTolerance"/> of <paramref name="correct"/> counts.</summary>
    /// <param name="question">The question.</param>
    /// <param name="correct">The right value (computed, not typed in, wherever the course can).</param>
    /// <param name="yours">The student's value, or null when not answered yet.</param>
    /// <param name="explanation">How to get the value, shown with the verdict.</param>
    /// <param name="relativeTolerance">Accepted relative error.</param>
    /// <returns>The feedback text.</returns>
    public static string Number(string question, double correct, double? yours, string explanation, double relativeTolerance = 1e-6)
    {
        if (!(relativeTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, $"relativeTolerance must be ≥ 0, but was {relativeTolerance}.");
        }

        var text = new StringBuilder(question).AppendLine();
        if (yours is null)
        {
            return text.Append("? Not answered yet: set your number above and run the cell again.").ToString();
        }

        var right = Math.Abs(yours.Value - correct) <= relativeTolerance * Math.Max(Math.Abs(correct), double.Epsilon);
        var shown = correct.ToString("G6", CultureInfo.InvariantCulture);
        return (right
            ? text.Append($"✓ Correct ({shown}). ")
            : text.Append($"✗ Not quite: you wrote {yours.Value.ToString("G6", CultureInfo.InvariantCulture)}, the answer is {shown}. ")).Append(explanation).ToString();
    }
}
