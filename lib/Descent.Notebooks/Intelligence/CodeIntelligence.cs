using System.Xml.Linq;
using Descent.Notebooks.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace Descent.Notebooks.Intelligence;

/// <summary>
/// Completion and inspection for a cell in the context of a session: the earlier submissions and the cell form one
/// C# script document, with the session's references and usings, and Roslyn's completion service runs on it.
/// </summary>
public sealed class CodeIntelligence
{
    private static readonly Lazy<MefHostServices> Host = new(() => MefHostServices.Create(MefHostServices.DefaultAssemblies));

    /// <summary>Completions at <paramref name="cursor"/> (a character offset in <paramref name="code"/>).</summary>
    public async Task<CompletionResult> CompleteAsync(ScriptSnapshot snapshot, string code, int cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(code);
        cursor = Math.Clamp(cursor, 0, code.Length);
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_'))
        {
            start--;
        }

        var prefix = code[start..cursor];
        var (document, offset) = CreateDocument(snapshot, code);
        var service = CompletionService.GetService(document);
        if (service is null)
        {
            return new CompletionResult([], start, cursor);
        }

        var completions = await service.GetCompletionsAsync(document, offset + cursor, cancellationToken: cancellationToken);
        var matches = completions.ItemsList
            .Select(i => i.DisplayText)
            .Where(t => t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .OrderBy(t => !t.StartsWith(prefix, StringComparison.Ordinal))
            .ThenBy(t => t, StringComparer.OrdinalIgnoreCase)
            .ToArray();
        return new CompletionResult(matches, start, cursor);
    }

    /// <summary>The symbol at <paramref name="cursor"/>: its signature and documentation summary, or null.</summary>
    public async Task<InspectionResult?> InspectAsync(ScriptSnapshot snapshot, string code, int cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(code);
        var (document, offset) = CreateDocument(snapshot, code);
        var model = await document.GetSemanticModelAsync(cancellationToken);
        var root = await document.GetSyntaxRootAsync(cancellationToken);
        if (model is null || root is null || code.Length == 0)
        {
            return null;
        }

        var position = offset + Math.Clamp(cursor, 0, code.Length);
        foreach (var candidate in new[] { position, position - 1 })
        {
            if (candidate < offset || candidate >= root.FullSpan.End)
            {
                continue;
            }

            var token = root.FindToken(candidate);
            var node = token.Parent;
            while (node is not null)
            {
                var info = model.GetSymbolInfo(node, cancellationToken);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node, cancellationToken);
                if (symbol is not null)
                {
                    return new InspectionResult(symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat), Summary(symbol));
                }

                if (node.Span.Length > token.Span.Length * 4)
                {
                    break;
                }

                node = node.Parent;
            }
        }

        return null;
    }

    private static string? Summary(ISymbol symbol)
    {
        var xml = symbol.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            return XElement.Parse(xml).Element("summary")?.Value.Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static (Document Document, int Offset) CreateDocument(ScriptSnapshot snapshot, string code)
    {
        var history = string.Concat(snapshot.PreviousSubmissions.Select(s => s + "\n"));
        var workspace = new AdhocWorkspace(Host.Value);
        var projectId = ProjectId.CreateNewId();
        var project = ProjectInfo.Create(projectId, VersionStamp.Create(), "cell", "cell", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: snapshot.Usings.Append(typeof(CellGlobals).FullName!)),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script),
            metadataReferences: snapshot.References,
            isSubmission: true);
        var solution = workspace.CurrentSolution.AddProject(project);
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(DocumentInfo.Create(documentId, "cell.csx", sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(history + code), VersionStamp.Create()))));
        return (solution.GetDocument(documentId)!, history.Length);
    }
}
