using Microsoft.DotNet.Interactive.Formatting;

namespace Descent.Notebooks.Engine;

/// <summary>Formats values as the .NET Interactive kernel does: one mime type per value, text/plain for strings, text/html otherwise.</summary>
internal static class MimeFormatting
{
    private const string Html = "text/html";
    private const string PlainText = "text/plain";
    private static readonly object Gate = new();
    private static bool _initialized;

    public static IReadOnlyDictionary<string, string> Format(object? value, string[]? mimeTypes, Action beforeFormatting)
    {
        EnsureInitialized();
        beforeFormatting();
        if (value is null)
        {
            return new Dictionary<string, string> { [Html] = "<div class=\"dni-plaintext\"><pre>&lt;null&gt;</pre></div>" };
        }

        var types = mimeTypes is { Length: > 0 }
            ? mimeTypes
            : Formatter.GetPreferredMimeTypesFor(value.GetType()).ToArray();
        if (types.Length == 0)
        {
            types = [value is string ? PlainText : Html];
        }

        var bundle = new Dictionary<string, string>();
        lock (Gate)
        {
            foreach (var mime in types)
            {
                bundle[mime] = Formatter.ToDisplayString(value, mime);
            }
        }

        return bundle;
    }

    private static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            Formatter.Register(typeof(HtmlContent), (o, w) => w.Write(((HtmlContent)o).Content), Html);
            Formatter.SetPreferredMimeTypesFor(typeof(HtmlContent), Html);
            _initialized = true;
        }
    }

    /// <summary>
    /// Forgets every formatter registered since the process started — a cell's own <c>Formatter.Register</c> included —
    /// and the engine's (registered again on first use), so the next session formats as a fresh process does.
    /// </summary>
    public static void ResetToDefault()
    {
        lock (Gate)
        {
            Formatter.ResetToDefault();
            _initialized = false;
            PlotlyFormatter.ForgetRegistration();
        }
    }

    /// <summary>Registers a text/html formatter for a type loaded by a script (e.g. Plotly.NET's GenericChart).</summary>
    public static void RegisterHtml(Type type, Action<object, TextWriter> write)
    {
        EnsureInitialized();
        lock (Gate)
        {
            Formatter.Register(type, write, Html);
        }
    }
}
