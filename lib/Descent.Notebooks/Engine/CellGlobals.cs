using Microsoft.DotNet.Interactive.Formatting;

namespace Descent.Notebooks.Engine;

/// <summary>
/// The helpers a notebook cell can call unqualified, as <c>using static Microsoft.DotNet.Interactive.Kernel;</c>
/// provides them in the .NET Interactive C# kernel: <c>display</c>, <c>HTML</c>, <c>CSS</c>, <c>Javascript</c>.
/// </summary>
public static class CellGlobals
{
    /// <summary>Shows <paramref name="value"/> as a display output, formatted as the kernel formats it.</summary>
    /// <param name="value">The value to show.</param>
    /// <param name="mimeTypes">Mime types to format it as (default: the preferred one for its type).</param>
#pragma warning disable IDE1006 // lower-case name: the kernel's API is `display`.
    public static DisplayedValue display(object? value, params string[] mimeTypes) => DisplayValue(value, mimeTypes);
#pragma warning restore IDE1006

    /// <summary>Raw HTML content, shown unescaped.</summary>
    public static HtmlContent HTML(string content) => new(content);

    /// <summary>A style sheet, shown as a <c>style</c> element.</summary>
    public static HtmlContent CSS(string content) => new($"<style>{content}</style>");

    /// <summary>A script, shown as a <c>script</c> element.</summary>
    public static HtmlContent Javascript(string content) => new($"<script type=\"text/javascript\">{content}</script>");

    internal static DisplayedValue DisplayValue(object? value, string[]? mimeTypes)
    {
        var context = CellContext.Current
            ?? throw new InvalidOperationException("display(...) can only be called while a notebook cell is running.");
        var bundle = MimeFormatting.Format(value, mimeTypes, context.BeforeFormatting);
        context.Sink(new DisplayOutput(bundle));
        return new DisplayedValue(context);
    }
}

/// <summary>HTML that is shown as it is (the result of <see cref="CellGlobals.HTML"/>).</summary>
/// <param name="Content">The markup.</param>
public sealed record HtmlContent(string Content)
{
    /// <inheritdoc />
    public override string ToString() => Content;
}

/// <summary>What <c>display(x)</c> and <c>x.Display()</c> return; it can show a new value in the same cell.</summary>
public sealed class DisplayedValue
{
    private readonly CellContext _context;

    internal DisplayedValue(CellContext context) => _context = context;

    /// <summary>Shows <paramref name="value"/> as a further display output of the cell.</summary>
    public void Update(object? value) =>
        _context.Sink(new DisplayOutput(MimeFormatting.Format(value, null, _context.BeforeFormatting)));
}
