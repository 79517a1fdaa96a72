using System.Text;

namespace Descent.Notebooks.Engine;

/// <summary>
/// Routes <c>Console.Out</c> and <c>Console.Error</c> to the running cell (as stream outputs); text written outside a
/// cell goes to the original console. <c>Console.In</c> becomes <see cref="CellInput"/>: cells read from their front
/// end, never from the process's standard input.
/// </summary>
internal sealed class ConsoleCapture : TextWriter
{
    private static readonly object Gate = new();
    private static bool _installed;
    private static ConsoleCapture? _out;
    private static ConsoleCapture? _error;
    private static CellInput? _in;
    private readonly TextWriter _original;
    private readonly string _stream;

    private ConsoleCapture(TextWriter original, string stream)
    {
        _original = original;
        _stream = stream;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            _out = new ConsoleCapture(Console.Out, "stdout");
            _error = new ConsoleCapture(Console.Error, "stderr");
            Console.SetOut(_out);
            Console.SetError(_error);
            // Never the real standard input: a worker process may carry its protocol there. (A browser has none.)
            if (!OperatingSystem.IsBrowser())
            {
                _in = new CellInput();
                Console.SetIn(_in);
            }

            _installed = true;
        }
    }

    /// <summary>
    /// Puts the capture back in case a cell replaced it (<c>Console.SetOut</c>, <c>SetError</c>, <c>SetIn</c>), so the
    /// next session's cells are captured again; does nothing before <see cref="Install"/>.
    /// </summary>
    public static void Restore()
    {
        lock (Gate)
        {
            if (_installed)
            {
                Console.SetOut(_out!);
                Console.SetError(_error!);
                if (_in is not null && !OperatingSystem.IsBrowser())
                {
                    Console.SetIn(_in);
                }
            }
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (CellContext.Current is { } context)
        {
            context.Sink(new StreamOutput(_stream, value));
        }
        else
        {
            _original.Write(value);
        }
    }

    public override void WriteLine(string? value) => Write((value ?? string.Empty) + Environment.NewLine);

    public override void WriteLine() => Write(Environment.NewLine);

    public override void Flush()
    {
        if (CellContext.Current is null)
        {
            _original.Flush();
        }
    }
}

/// <summary>
/// <c>Console.In</c> while the engine is installed: <c>Console.ReadLine()</c> in a cell asks the cell's front end
/// (<see cref="IExecutionSession.Input"/>, Jupyter's <c>input_request</c>); without one it throws an error naming the
/// problem instead of waiting forever. It never reads the process's standard input.
/// </summary>
internal sealed class CellInput : TextReader
{
    /// <summary>The message when nothing can answer.</summary>
    public const string NoFrontEnd =
        "Console.ReadLine() asks for input, but this cell has no front end to type it into " +
        "(descent-notebooks run or grade, or a Jupyter client that does not allow input): set the value in the code instead.";

    // What is left of the last line read, for Read() and Peek(); per async flow, so cells of different sessions do not mix.
    private static readonly AsyncLocal<string?> Pending = new();

    public override string? ReadLine()
    {
        if (Pending.Value is { Length: > 0 } rest)
        {
            Pending.Value = null;
            return rest.EndsWith('\n') ? rest[..^1] : rest;
        }

        return Ask();
    }

    public override int Read()
    {
        var c = Peek();
        if (c >= 0)
        {
            Pending.Value = Pending.Value![1..];
        }

        return c;
    }

    public override int Peek()
    {
        if (Pending.Value is not { Length: > 0 })
        {
            var line = Ask();
            if (line is null)
            {
                return -1;
            }

            Pending.Value = line + "\n";
        }

        return Pending.Value[0];
    }

    public override string ReadToEnd()
    {
        var text = new StringBuilder();
        while (Read() is var c && c >= 0)
        {
            text.Append((char)c);
        }

        return text.ToString();
    }

    private static string? Ask()
    {
        var context = CellContext.Current;
        if (context?.Input is not { } input)
        {
            throw new InvalidOperationException(NoFrontEnd);
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        return input(new InputRequest(string.Empty, Password: false), context.CancellationToken);
    }
}
