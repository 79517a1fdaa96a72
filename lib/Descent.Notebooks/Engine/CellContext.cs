namespace Descent.Notebooks.Engine;

/// <summary>
/// The cell being executed on the current async flow: where <c>display</c> and Console output go, and the token that
/// interrupts it. Several sessions may run at once (one per notebook), so this is an <see cref="AsyncLocal{T}"/>.
/// </summary>
public sealed class CellContext
{
    private static readonly AsyncLocal<CellContext?> CurrentContext = new();

    internal CellContext(
        Action<CellOutput> sink, CancellationToken cancellationToken, Action beforeFormatting, Func<InputRequest, CancellationToken, string?>? input = null)
    {
        Sink = sink;
        Input = input;
        CancellationToken = cancellationToken;
        BeforeFormatting = beforeFormatting;
    }

    /// <summary>The context of the cell running on this flow, or null outside a cell.</summary>
    public static CellContext? Current
    {
        get => CurrentContext.Value;
        internal set => CurrentContext.Value = value;
    }

    internal Action<CellOutput> Sink { get; }

    internal Action BeforeFormatting { get; }

    /// <summary>Asks the front end for a line (see <see cref="IExecutionSession.Input"/>); null when there is none.</summary>
    internal Func<InputRequest, CancellationToken, string?>? Input { get; }

    /// <summary>Cancelled when the cell is interrupted or times out.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Called by the engine at the top of every loop body in cell code, so that an interrupt or a timeout stops even
    /// <c>while (true) { }</c>. Not meant to be called by hand.
    /// </summary>
    public static void ThrowIfInterrupted() => Current?.CancellationToken.ThrowIfCancellationRequested();
}
