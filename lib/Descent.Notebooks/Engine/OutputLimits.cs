using System.Globalization;
using System.Text;

namespace Descent.Notebooks.Engine;

/// <summary>
/// How much output one cell keeps, as notebook front ends cap it: a text stream keeps its first and last lines with a
/// marker counting what was left out between them; a rich output (a display or a result) over a size limit is replaced
/// by a note naming its size. The same limits apply under <c>run</c>, <c>grade</c> and the kernel (which streams only
/// what is kept), so a print loop cannot flood a notebook file, a page, a front end or the engine's memory.
/// </summary>
public sealed record OutputLimits
{
    /// <summary>Default of <see cref="StreamLines"/>.</summary>
    public const int DefaultStreamLines = 2000;

    /// <summary>Default of <see cref="OutputMegabytes"/>.</summary>
    public const double DefaultOutputMegabytes = 10;

    /// <summary>The defaults.</summary>
    public static OutputLimits Default { get; } = new();

    /// <summary>Lines of stream text (standard output and error together) a cell keeps: the first half and the last half.</summary>
    public int StreamLines { get; init; } = DefaultStreamLines;

    /// <summary>
    /// Size in MB (millions of characters) of the largest single rich output a cell keeps; also the most stream text a
    /// cell keeps (half at its start, half at its end), and a tenth of the rich output a cell keeps in all.
    /// </summary>
    public double OutputMegabytes { get; init; } = DefaultOutputMegabytes;

    /// <summary>The largest single rich output kept, in characters.</summary>
    public long OutputChars => (long)(OutputMegabytes * 1_000_000);

    /// <summary>What is wrong with these limits (naming the option), or null.</summary>
    public string? Problem() =>
        StreamLines < 2 ? $"--max-stream-lines must be at least 2, but was {StreamLines}."
        : !(OutputMegabytes >= 0.001) || double.IsInfinity(OutputMegabytes)
            ? $"--max-output-mb must be at least 0.001, but was {OutputMegabytes.ToString(CultureInfo.InvariantCulture)}."
            : null;
}

/// <summary>Applies <see cref="OutputLimits"/> to one cell's outputs on their way to the cell's sink.</summary>
internal sealed class OutputLimiter
{
    private static readonly NumberFormatInfo Spaced = new() { NumberGroupSeparator = " ", NumberGroupSizes = [3] };
    private readonly OutputLimits _limits;
    private readonly Action<CellOutput> _sink;
    private readonly object _gate = new();
    private readonly LinkedList<(string Stream, string Text)> _tail = new();
    private readonly long _streamHalf;
    private long _headLines;
    private long _headChars;
    private bool _headFull;
    private long _tailLines;
    private long _tailChars;
    private long _omittedLines;
    private long _omittedChars;
    private long _richKept;
    private long _richOmitted;
    private long _richOmittedChars;

    public OutputLimiter(OutputLimits limits, Action<CellOutput> sink)
    {
        _limits = limits;
        _sink = sink;
        _streamHalf = Math.Max(1, limits.OutputChars / 2);
    }

    /// <summary>Characters the cell produced, before any limit (streams and rich outputs).</summary>
    public long Produced { get; private set; }

    /// <summary>Takes one output; passes on what is kept.</summary>
    public void Add(CellOutput output)
    {
        lock (_gate)
        {
            switch (output)
            {
                case StreamOutput stream:
                    Produced += stream.Text.Length;
                    AddStream(stream);
                    break;
                case DisplayOutput or ResultOutput:
                    AddRich(output);
                    break;
                default:
                    // An error ends the cell: what the streams kept for their end comes before it.
                    FlushLocked();
                    _sink(output);
                    break;
            }
        }
    }

    /// <summary>Passes on the kept end of the streams and the markers for what was left out.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            FlushLocked();
        }
    }

    private void AddStream(StreamOutput stream)
    {
        var text = stream.Text;
        if (!_headFull)
        {
            var kept = HeadPart(text);
            if (kept > 0)
            {
                _sink(kept == text.Length ? stream : stream with { Text = text[..kept] });
            }

            if (kept == text.Length)
            {
                return;
            }

            _headFull = true;
            text = text[kept..];
        }

        AddToTail(stream.Name, text);
    }

    // How much of text the head keeps: whole lines while both the line and the size budgets last.
    private int HeadPart(string text)
    {
        var headLines = _limits.StreamLines / 2;
        var i = 0;
        while (i < text.Length)
        {
            if (_headLines >= headLines || _headChars >= _streamHalf)
            {
                return i;
            }

            var end = text.IndexOf('\n', i);
            var next = end < 0 ? text.Length : end + 1;
            var room = (int)Math.Min(next - i, _streamHalf - _headChars);
            if (room < next - i)
            {
                _headChars += room;
                return i + room;
            }

            _headChars += next - i;
            if (end >= 0)
            {
                _headLines++;
            }

            i = next;
        }

        return text.Length;
    }

    private void AddToTail(string stream, string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var next = end < 0 ? text.Length : end + 1;
            var piece = text[start..next];
            if (_tail.Last is { } last && last.Value.Stream == stream && !last.Value.Text.EndsWith('\n'))
            {
                // The rest of a line begun by an earlier write.
                var joined = last.Value.Text + piece;
                _tailChars += piece.Length;
                last.Value = (stream, joined.Length > _streamHalf ? joined[^(int)_streamHalf..] : joined);
                _omittedChars += joined.Length - last.Value.Text.Length;
                _tailChars -= joined.Length - last.Value.Text.Length;
            }
            else
            {
                var kept = piece.Length > _streamHalf ? piece[^(int)_streamHalf..] : piece;
                _omittedChars += piece.Length - kept.Length;
                _tail.AddLast((stream, kept));
                _tailChars += kept.Length;
            }

            if (end >= 0)
            {
                _tailLines++;
            }

            Trim();
            start = next;
        }
    }

    private void Trim()
    {
        var tailLines = _limits.StreamLines - (_limits.StreamLines / 2);
        while (_tail.First is { } first && _tail.Count > 1 && (_tailLines > tailLines || _tailChars > _streamHalf))
        {
            _tail.RemoveFirst();
            _tailChars -= first.Value.Text.Length;
            _omittedChars += first.Value.Text.Length;
            if (first.Value.Text.EndsWith('\n'))
            {
                _tailLines--;
                _omittedLines++;
            }
        }
    }

    private void AddRich(CellOutput output)
    {
        var data = output is DisplayOutput d ? d.Data : ((ResultOutput)output).Data;
        var size = data.Values.Sum(v => (long)v.Length);
        Produced += size;
        if (size > _limits.OutputChars)
        {
            var kind = output is DisplayOutput ? "display" : "result";
            var note = new Dictionary<string, string>
            {
                ["text/plain"] = $"[{kind} output of {Megabytes(size)} omitted: one output may be at most {Megabytes(_limits.OutputChars)}]",
            };
            _sink(output is DisplayOutput ? new DisplayOutput(note) : new ResultOutput(note));
        }
        else if (_richKept + size > 10 * _limits.OutputChars)
        {
            _richOmitted++;
            _richOmittedChars += size;
        }
        else
        {
            _richKept += size;
            _sink(output);
        }
    }

    private void FlushLocked()
    {
        if (_omittedLines > 0 || _omittedChars > 0)
        {
            var lines = _omittedLines > 0 ? $"{_omittedLines.ToString("#,0", Spaced)} lines, " : string.Empty;
            var half = _limits.StreamLines / 2;
            _sink(new StreamOutput(_tail.First?.Value.Stream ?? "stdout",
                $"… {lines}{Megabytes(_omittedChars)} of output omitted: a cell keeps its first {half.ToString("#,0", Spaced)} " +
                $"and last {(_limits.StreamLines - half).ToString("#,0", Spaced)} lines, up to {Megabytes(_streamHalf)} each …\n"));
        }

        foreach (var (stream, text) in _tail)
        {
            _sink(new StreamOutput(stream, text));
        }

        if (_richOmitted > 0)
        {
            _sink(new StreamOutput("stderr",
                $"… {_richOmitted.ToString("#,0", Spaced)} more display outputs ({Megabytes(_richOmittedChars)}) omitted: a cell keeps at most {Megabytes(10 * _limits.OutputChars)} of them …\n"));
        }

        _tail.Clear();
        _tailLines = _tailChars = _omittedLines = _omittedChars = _richOmitted = _richOmittedChars = 0;
    }

    private static string Megabytes(long chars) =>
        (chars / 1e6).ToString(chars < 100_000 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + " MB";
}
