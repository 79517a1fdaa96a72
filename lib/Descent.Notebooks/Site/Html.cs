using System.Text;

namespace Descent.Notebooks.Site;

/// <summary>HTML escaping of text: only the five characters that matter, so θ, η, · stay readable in the page source.</summary>
internal static class Html
{
    /// <summary>The text with &amp;, &lt;, &gt;, " and ' escaped.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
