using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Descent.Notebooks.Engine;

/// <summary>A cell's compile errors, exception or interruption as the error output the kernel shows, with the cell's own line.</summary>
internal static class CellErrors
{
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
