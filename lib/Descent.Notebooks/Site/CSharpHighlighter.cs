using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Descent.Notebooks.Site;

/// <summary>
/// Colours C# cell source by Roslyn's own tokens (keywords, strings, numbers, comments, directives such as
/// <c>#r "nuget: …"</c>). The text is reproduced exactly, only wrapped in spans and HTML-escaped.
/// </summary>
internal static class CSharpHighlighter
{
    private static readonly CSharpParseOptions Script = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>The source as escaped HTML with <c>&lt;span class="tok-…"&gt;</c> around classified tokens.</summary>
    public static string ToHtml(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, Script).GetRoot();
        var html = new StringBuilder(source.Length * 2);
        foreach (var token in root.DescendantTokens(descendIntoTrivia: false))
        {
            AppendTrivia(token.LeadingTrivia, html);
            Append(html, token.Text, ClassOf(token));
            AppendTrivia(token.TrailingTrivia, html);
        }

        return html.ToString();
    }

    private static void AppendTrivia(SyntaxTriviaList trivia, StringBuilder html)
    {
        foreach (var t in trivia)
        {
            var css = t.Kind() switch
            {
                SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia
                    or SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia => "tok-comment",
                SyntaxKind.DisabledTextTrivia or SyntaxKind.SkippedTokensTrivia => null,
                _ when t.IsDirective || t.IsKind(SyntaxKind.ShebangDirectiveTrivia) => "tok-directive",
                _ => null,
            };
            Append(html, t.ToFullString(), css);
        }
    }

    private static string? ClassOf(SyntaxToken token)
    {
        var kind = token.Kind();
        if (SyntaxFacts.IsKeywordKind(kind) || token.Parent is IdentifierNameSyntax { IsVar: true })
        {
            return "tok-keyword";
        }

        return kind switch
        {
            SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringStartToken
                or SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedStringTextToken
                or SyntaxKind.InterpolatedRawStringEndToken or SyntaxKind.InterpolatedSingleLineRawStringStartToken
                or SyntaxKind.InterpolatedMultiLineRawStringStartToken or SyntaxKind.SingleLineRawStringLiteralToken
                or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.Utf8StringLiteralToken => "tok-string",
            SyntaxKind.NumericLiteralToken => "tok-number",
            _ => null,
        };
    }

    private static void Append(StringBuilder html, string text, string? css)
    {
        if (text.Length == 0)
        {
            return;
        }

        var escaped = Html.Escape(text);
        if (css is null)
        {
            html.Append(escaped);
        }
        else
        {
            html.Append("<span class=\"").Append(css).Append("\">").Append(escaped).Append("</span>");
        }
    }
}
