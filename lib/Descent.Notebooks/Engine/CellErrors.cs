using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Descent.Notebooks.Engine;

/// <summary>A cell's compile errors, exception or interruption as the error output the kernel shows, with the cell's own line.</summary>
internal static class CellErrors
{
    /// <summary>A directive the engine cannot run (an unknown magic, another kernel's cell): the error, on its line.</summary>
    public static ErrorOutput Directive(CellDirectives directives)
    {
        var message = directives.Error ?? throw new ArgumentException("The directives have no error.", nameof(directives));
        var name = message.StartsWith("NoSuitableKernelException", StringComparison.Ordinal) ? "NoSuitableKernelException" : "MagicCommandError";
        return new ErrorOutput(name, message, [message], directives.ErrorLine);
    }

    /// <summary>What <c>#!time</c> prints after the cell: its wall time, as the .NET Interactive kernel prints it.</summary>
    public static void ReportTime(CellDirectives directives, TimeSpan elapsed, Action<CellOutput> emit)
    {
        if (directives.Time)
        {
            emit(new StreamOutput("stdout", $"Wall time: {elapsed.TotalMilliseconds:F1}ms{Environment.NewLine}"));
        }
    }

    public static ErrorOutput CompilationError(IReadOnlyList<Diagnostic> errors, CellDirectives directives)
    {
        var lines = errors.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage()}";
        }).ToArray();
        var first = errors[0].Location.GetLineSpan().StartLinePosition.Line + 1;
        return new ErrorOutput("CompilationError", string.Join(Environment.NewLine, lines), lines, directives.CellLine(first));
    }

    public static ErrorOutput RuntimeError(Exception exception, CellDirectives directives, string cellPath)
    {
        var inner = exception is TargetInvocationException { InnerException: { } ie } ? ie : exception;
        int? line = null;
        foreach (var frame in new StackTrace(inner, fNeedFileInfo: true).GetFrames())
        {
            if (string.Equals(frame.GetFileName(), cellPath, StringComparison.Ordinal) && frame.GetFileLineNumber() > 0)
            {
                line = directives.CellLine(frame.GetFileLineNumber());
                break;
            }
        }

        var traceback = inner.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        return new ErrorOutput(inner.GetType().Name, inner.Message, traceback, line);
    }

    public static ErrorOutput Interrupted(bool hard)
    {
        var message = hard
            ? "The cell was interrupted but did not stop; the session was abandoned."
            : "The cell was interrupted.";
        return new ErrorOutput("OperationCanceledException", message, [message]);
    }
}
