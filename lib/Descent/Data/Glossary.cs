using System.Text;

namespace Descent.Data;

/// <summary>A course term in English and Chinese, with a one-line definition and the chapter that introduces it.</summary>
public sealed record GlossaryEntry(string Term, string Chinese, string Definition, string Chapter);

/// <summary>A common wording mistake in exam English, its correction and why.</summary>
public sealed record PhrasingCorrection(string Avoid, string Write, string Why);

/// <summary>A sentence as it is first thought in Chinese, the exam sentence in English, and the pattern that carries it across.</summary>
public sealed record ExamSentence(string Chinese, string English, string Pattern);

/// <summary>
/// The course glossary (<c>data/glossary.csv</c>), exam-phrasing corrections (<c>data/exam-phrasing.csv</c>) and the
/// 中文思维 → English sentences (<c>data/exam-sentences.csv</c>).
/// </summary>
public static class Glossary
{
    /// <summary>Reads the glossary: columns <c>term,chinese,definition,chapter</c>.</summary>
    public static IReadOnlyList<GlossaryEntry> Load(string? path = null) =>
        Read(path ?? Datasets.FindDataFile("glossary.csv"), ["term", "chinese", "definition", "chapter"])
            .Select(r => new GlossaryEntry(r[0], r[1], r[2], r[3])).ToArray();

    /// <summary>Reads the phrasing corrections: columns <c>avoid,write,why</c>.</summary>
    public static IReadOnlyList<PhrasingCorrection> Phrasings(string? path = null) =>
        Read(path ?? Datasets.FindDataFile("exam-phrasing.csv"), ["avoid", "write", "why"])
            .Select(r => new PhrasingCorrection(r[0], r[1], r[2])).ToArray();

    /// <summary>Reads the 中文思维 → English sentences (<c>data/exam-sentences.csv</c>): columns <c>chinese,english,pattern</c>.</summary>
    public static IReadOnlyList<ExamSentence> ExamSentences(string? path = null) =>
        Read(path ?? Datasets.FindDataFile("exam-sentences.csv"), ["chinese", "english", "pattern"])
            .Select(r => new ExamSentence(r[0], r[1], r[2])).ToArray();

    /// <summary>
    /// Reads an RFC 4180 CSV (fields may be quoted with <c>"</c>, a quote inside a quoted field is doubled) whose header
    /// must be exactly <paramref name="columns"/>; every field must be non-empty.
    /// </summary>
    /// <exception cref="FormatException">The header, a row's length, an empty field or an unclosed quote; the message names file and line.</exception>
    public static IReadOnlyList<string[]> Read(string path, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columns);
        var rows = Parse(File.ReadAllText(path, Encoding.UTF8), path);
        if (rows.Count == 0 || !rows[0].Fields.SequenceEqual(columns))
        {
            throw new FormatException($"{path}, line 1: the header must be '{string.Join(",", columns)}'.");
        }

        foreach (var (line, fields) in rows.Skip(1))
        {
            if (fields.Length != columns.Count)
            {
                throw new FormatException($"{path}, line {line}: {fields.Length} fields, but the header has {columns.Count}.");
            }

            var empty = Array.FindIndex(fields, f => f.Trim().Length == 0);
            if (empty >= 0)
            {
                throw new FormatException($"{path}, line {line}, column '{columns[empty]}': the field is empty.");
            }
        }

        return rows.Skip(1).Select(r => r.Fields).ToArray();
    }

    private static List<(int Line, string[] Fields)> Parse(string text, string path)
    {
        var rows = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, rowStart, quoted, fieldStarted) = (1, 1, false, false);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    line++;
                    rowStart = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"{path}, line {rowStart}: a quoted field is not closed.");
        }

        EndRow();
        return rows;

        void EndRow()
        {
            if (fieldStarted || fields.Count > 0)
            {
                fields.Add(field.ToString());
                rows.Add((rowStart, fields.ToArray()));
            }

            fields.Clear();
            field.Clear();
            fieldStarted = false;
        }
    }
}
