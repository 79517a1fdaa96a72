using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Site;

/// <summary>Renders a code cell's Jupyter outputs (stream, execute_result, display_data, error) as HTML.</summary>
internal static partial class OutputRenderer
{
    /// <summary>Appends the HTML of one output; an unknown output type names the notebook and cell.</summary>
    public static void Render(JsonObject output, NotebookCell cell, string notebook, string assetsPrefix, StringBuilder html)
    {
        var type = (string?)output["output_type"];
        switch (type)
        {
            case "stream":
                var name = (string?)output["name"] == "stderr" ? "stderr" : "stdout";
                html.Append("<div class=\"output stream ").Append(name).Append("\"><pre>")
                    .Append(Html.Escape(NotebookDocument.JoinSource(output["text"]))).Append("</pre></div>\n");
                break;
            case "error":
                RenderError(output, html);
                break;
            case "execute_result" or "display_data":
                html.Append("<div class=\"output result\">");
                if (type == "execute_result" && output["execution_count"] is JsonValue count)
                {
                    html.Append("<div class=\"prompt out\">Out[").Append(Html.Escape(count.ToString())).Append("]:</div>");
                }

                html.Append(RenderBundle(output["data"] as JsonObject, cell, notebook, assetsPrefix)).Append("</div>\n");
                break;
            default:
                throw new NotebookFormatException(notebook, $"cell {cell.Number}: unknown output_type '{type}'");
        }
    }

    private static void RenderError(JsonObject output, StringBuilder html)
    {
        var ename = (string?)output["ename"] ?? "Error";
        var evalue = (string?)output["evalue"] ?? string.Empty;
        var traceback = output["traceback"] is JsonArray lines ? string.Join("\n", lines.Select(l => (string?)l)) : string.Empty;
        traceback = Ansi().Replace(traceback, string.Empty).TrimEnd();
        html.Append("<div class=\"output error\"><div class=\"error-head\"><span class=\"ename\">").Append(Html.Escape(ename))
            .Append("</span>: <span class=\"evalue\">").Append(Html.Escape(evalue)).Append("</span></div>");
        if (traceback.Length > 0 && traceback != evalue && traceback != $"{ename}: {evalue}")
        {
            html.Append("<pre class=\"traceback\">").Append(Html.Escape(traceback)).Append("</pre>");
        }

        html.Append("</div>\n");
    }

    /// <summary>The richest representation in the bundle, in Jupyter's preference order.</summary>
    private static string RenderBundle(JsonObject? data, NotebookCell cell, string notebook, string assetsPrefix)
    {
        if (data is null)
        {
            return string.Empty;
        }

        if (data["text/html"] is { } html)
        {
            return OfflinePlotly.Localize(NotebookDocument.JoinSource(html), assetsPrefix);
        }

        if (data["image/svg+xml"] is { } svg)
        {
            return NotebookDocument.JoinSource(svg);
        }

        foreach (var mime in new[] { "image/png", "image/jpeg", "image/gif" })
        {
            if (data[mime] is { } image)
            {
                var base64 = Whitespace().Replace(NotebookDocument.JoinSource(image), string.Empty);
                if (!Base64().IsMatch(base64))
                {
                    throw new NotebookFormatException(notebook, $"cell {cell.Number}: the {mime} output is not base64");
                }

                return $"<img alt=\"cell {cell.Number} output\" src=\"data:{mime};base64,{base64}\">";
            }
        }

        if (data["text/markdown"] is { } markdown)
        {
            return $"<div class=\"markdown\">{MarkdownRenderer.ToHtml(NotebookDocument.JoinSource(markdown))}</div>";
        }

        return data["text/plain"] is { } text
            ? $"<pre>{Html.Escape(Ansi().Replace(NotebookDocument.JoinSource(text), string.Empty))}</pre>"
            : string.Empty;
    }


    /// <summary>Terminal colour codes, which Jupyter tracebacks carry.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[A-Za-z0-9+/]*={0,2}$")]
    private static partial Regex Base64();
}
