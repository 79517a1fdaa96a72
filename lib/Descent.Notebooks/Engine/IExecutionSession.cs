using Microsoft.CodeAnalysis;

namespace Descent.Notebooks.Engine;

/// <summary>What a cell asks its front end for when it reads <c>Console.ReadLine()</c> (Jupyter's <c>input_request</c>).</summary>
/// <param name="Prompt">The prompt to show beside the input box (empty for <c>Console.ReadLine()</c>).</param>
/// <param name="Password">True when the input should not be echoed.</param>
public sealed record InputRequest(string Prompt, bool Password);

/// <summary>Completions at a cursor, in the shape of Jupyter's <c>complete_reply</c>.</summary>
/// <param name="Matches">Completion texts.</param>
/// <param name="CursorStart">Start offset (in the cell's code) of the text the matches replace.</param>
/// <param name="CursorEnd">End offset of that text.</param>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

/// <summary>What is known of the symbol at a cursor (Jupyter's <c>inspect_reply</c>).</summary>
/// <param name="Signature">The symbol's signature, e.g. <c>double Math.Sqrt(double d)</c>.</param>
/// <param name="Documentation">Its XML documentation summary, when available.</param>
public sealed record InspectionResult(string Signature, string? Documentation);

/// <summary>The state code intelligence needs from a session: references, usings and earlier submissions.</summary>
/// <param name="References">Metadata references of the script so far (framework, <c>#r</c>'d assemblies and packages).</param>
/// <param name="Usings">The default imports.</param>
/// <param name="PreviousSubmissions">Code of earlier successfully compiled submissions, directives removed, in order.</param>
public sealed record ScriptSnapshot(
    IReadOnlyList<MetadataReference> References,
    IReadOnlyList<string> Usings,
    IReadOnlyList<string> PreviousSubmissions);

/// <summary>
/// A C# notebook session: cells submitted in order share one script state, as in the .NET Interactive C# kernel.
/// The <c>run</c> command, the notebook tests and the Jupyter kernel are front ends on this one engine.
/// </summary>
public interface IExecutionSession : IDisposable
{
    /// <summary>Runs one cell. <paramref name="onOutput"/> sees each output as it is produced (streams, displays, result, error).</summary>
    /// <param name="code">The cell's source.</param>
    /// <param name="onOutput">Called for each output as it happens; may be null.</param>
    /// <param name="cancellationToken">Interrupts the cell (also an endless loop); the result then carries an error.</param>
    Task<SubmissionResult> SubmitAsync(string code, Action<CellOutput>? onOutput, CancellationToken cancellationToken);

    /// <summary>
    /// Answers <c>Console.ReadLine()</c> in the cells submitted from now on: the kernel sets it to ask the front end
    /// (<c>input_request</c>) when the client allows stdin. Null (the default, as under <c>run</c> and <c>grade</c>):
    /// reading input fails with an error naming the problem. Cells never read the process's standard input.
    /// The function gets the request and the cell's cancellation token and returns the line, or null at end of input.
    /// </summary>
    Func<InputRequest, CancellationToken, string?>? Input { get; set; }

    /// <summary>Whether <paramref name="code"/> is a complete submission (Jupyter's <c>is_complete_request</c>).</summary>
    bool IsComplete(string code);

    /// <summary>The state code intelligence needs.</summary>
    ScriptSnapshot Snapshot { get; }
}
