using System.Text;

namespace Descent.Notebooks.Execution;

/// <summary>
/// Routes <c>Console.Out</c> and <c>Console.Error</c> to the running cell (as stream outputs); text written outside a
/// cell goes to the original console.
/// </summary>
internal sealed class ConsoleCapture : TextWriter
{
    private static readonly object Gate = new();
    private static bool _installed;
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

            Console.SetOut(new ConsoleCapture(Console.Out, "stdout"));
            Console.SetError(new ConsoleCapture(Console.Error, "stderr"));
            _installed = true;
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
