namespace Descent.Notebooks.Engine;

/// <summary>One output of a cell, in Jupyter's output vocabulary.</summary>
public abstract record CellOutput;

/// <summary>Text written to <c>Console.Out</c> (<c>"stdout"</c>) or <c>Console.Error</c> (<c>"stderr"</c>).</summary>
/// <param name="Name">"stdout" or "stderr".</param>
/// <param name="Text">The text written.</param>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A value shown with <c>display(x)</c> or <c>x.Display()</c>: a Jupyter mime bundle.</summary>
/// <param name="Data">Mime type → content, e.g. <c>"text/html"</c> → markup.</param>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data) : CellOutput;

/// <summary>The value of a cell's trailing expression: a Jupyter <c>execute_result</c> mime bundle.</summary>
/// <param name="Data">Mime type → content.</param>
public sealed record ResultOutput(IReadOnlyDictionary<string, string> Data) : CellOutput;

/// <summary>A compile error, runtime exception, timeout or interruption, as a Jupyter <c>error</c> output.</summary>
/// <param name="Name">Jupyter's <c>ename</c>, e.g. <c>"CompilationError"</c> or the exception type name.</param>
/// <param name="Value">Jupyter's <c>evalue</c>: the message.</param>
/// <param name="Traceback">Jupyter's <c>traceback</c> lines.</param>
/// <param name="Line">The 1-based line within the cell where it happened, when known.</param>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback, int? Line = null) : CellOutput;

/// <summary>What a submission produced.</summary>
/// <param name="Outputs">Every output in order, the error (if any) last.</param>
/// <param name="Error">The error, or null when the cell ran to completion.</param>
public sealed record SubmissionResult(IReadOnlyList<CellOutput> Outputs, ErrorOutput? Error)
{
    /// <summary>True when the cell compiled and ran without an exception.</summary>
    public bool Succeeded => Error is null;
}
