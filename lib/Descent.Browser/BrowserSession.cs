using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Descent.Notebooks.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace Descent.Browser;

/// <summary>
/// The notebook engine on .NET WebAssembly: cells run in order, each compiled as a script submission chained to the one
/// before (<see cref="CSharpCompilation.CreateScriptCompilation"/>) and run through its entry point, so variables carry
/// across cells as in <c>run</c>. Roslyn's scripting runner cannot run here (it adds the core library by file path), so
/// this class does what it does — with the engine's own directives, errors, formatting and output limits.
/// </summary>
public sealed class BrowserSession
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private readonly BrowserReferences _references;
    private readonly CSharpCompilationOptions _options;
    private readonly AssemblyLoadContext _context = new("cells");
    private readonly Dictionary<string, Assembly> _submissions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _packages = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<MetadataReference> _committed = [];
    private CSharpCompilation? _previous;
    private object?[] _states = new object?[2];
    private int _attempts;
    private int _chain;

    /// <summary>Starts a session whose cells see <paramref name="references"/> (the framework, the library, the packages it ships).</summary>
    public BrowserSession(BrowserReferences references)
    {
        _references = references;
        ConsoleCapture.Install();
        _context.Resolving += (_, name) => name.Name is { } n && _submissions.TryGetValue(n, out var a) ? a : null;
        _options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            usings: DefaultImports.All,
            optimizationLevel: OptimizationLevel.Release,
            allowUnsafe: true,
            metadataReferenceResolver: new LibraryReferenceResolver(references),
            sourceReferenceResolver: null);
    }

    /// <summary>Runs one cell; outputs reach <paramref name="onOutput"/> as they are produced (after the engine's limits).</summary>
    public async Task<SubmissionResult> SubmitAsync(string code, Action<CellOutput>? onOutput = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        var outputs = new List<CellOutput>();
        var limiter = new OutputLimiter(OutputLimits.Default, output =>
        {
            outputs.Add(output);
            onOutput?.Invoke(output);
        });
        ErrorOutput? error = await ExecuteAsync(code, limiter.Add);
        if (error is not null)
        {
            limiter.Add(error);
        }

        limiter.Finish();
        return new SubmissionResult(outputs.ToArray(), error);
    }

    private async Task<ErrorOutput?> ExecuteAsync(string code, Action<CellOutput> emit)
    {
        var directives = CellDirectives.Parse(code);
        if (directives.Error is not null)
        {
            return CellErrors.Directive(directives);
        }

        for (var i = 0; i < directives.Packages.Count; i++)
        {
            var package = directives.Packages[i];
            if (!_references.Packages.ContainsKey(package.Id))
            {
                var message = $"The package {package.Id} is not available in the browser; it ships with {string.Join(", ", _references.Packages.Keys)}. Run this notebook with the .NET SDK to use other packages.";
                return new ErrorOutput("NuGetRestoreError", message, [message], directives.PackageLines[i]);
            }

            _packages.Add(package.Id);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (string.IsNullOrWhiteSpace(directives.Code))
        {
            CellErrors.ReportTime(directives, clock.Elapsed, emit);
            return null;
        }

        var cellPath = $"/submission{++_attempts}.csx";
        var tree = CSharpSyntaxTree.ParseText(directives.Code, ParseOptions, cellPath, System.Text.Encoding.UTF8);
        if (!tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any())
        {
            // Mono's loader rejects a submission whose body has no statement at all (only usings or declarations); an
            // empty statement after the last line changes nothing else.
            tree = CSharpSyntaxTree.ParseText(directives.Code + "\n{ }", ParseOptions, cellPath, System.Text.Encoding.UTF8);
        }

        // A submission inherits its predecessors' references: it is given only those not given before.
        var references = _references.Framework.AddRange(_references.Always).AddRange(_packages.SelectMany(p => _references.Packages[p]))
            .Distinct().Where(r => !_committed.Contains(r)).ToImmutableArray();
        var compilation = CSharpCompilation.CreateScriptCompilation(
            $"cell{_attempts}-{Guid.NewGuid():N}", tree, references, _options, _previous, returnType: null, globalsType: null);

        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            return CellErrors.CompilationError(errors, directives);
        }

        pe.Position = 0;
        pdb.Position = 0;
        var assembly = _context.LoadFromStream(pe, pdb);
        _submissions[assembly.GetName().Name!] = assembly;
        var entry = compilation.GetEntryPoint(CancellationToken.None)
            ?? throw new InvalidOperationException("A script compilation has an entry point.");
        var typeName = entry.ContainingNamespace.IsGlobalNamespace
            ? entry.ContainingType.MetadataName
            : $"{entry.ContainingNamespace.ToDisplayString()}.{entry.ContainingType.MetadataName}";
        var factory = assembly.GetType(typeName, throwOnError: true)!.GetMethod(entry.MetadataName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

        // Slot 0 holds the globals (none); the k-th submission of the chain writes itself to slot k, which later ones read.
        if (_states.Length <= _chain + 1)
        {
            Array.Resize(ref _states, 2 * _states.Length);
        }

        var hasResult = TrailingExpression.Find(compilation, out var resultIsVoid);
        var context = new CellContext(emit, CancellationToken.None, PlotlyFormatter.EnsureRegistered);
        CellContext.Current = context;
        object? value;
        try
        {
            value = await (Task<object>)factory.Invoke(null, [_states])!;
        }
        catch (Exception e)
        {
            Commit(compilation);
            return CellErrors.RuntimeError(e, directives, cellPath);
        }
        finally
        {
            CellContext.Current = null;
        }

        Commit(compilation);
        if (hasResult && !resultIsVoid && value is not DisplayedValue)
        {
            try
            {
                emit(new ResultOutput(MimeFormatting.Format(value, null, PlotlyFormatter.EnsureRegistered)));
            }
            catch (Exception e)
            {
                return CellErrors.RuntimeError(e, directives, cellPath);
            }
        }

        CellErrors.ReportTime(directives, clock.Elapsed, emit);
        return null;
    }

    // A submission that compiled and ran (even if it threw) is part of the state: later cells see its declarations.
    private void Commit(CSharpCompilation compilation)
    {
        _committed.UnionWith(compilation.References);
        _previous = compilation;
        _chain++;
    }

    /// <summary>Resolves <c>#r "…/Descent.dll"</c> (as the chapters write it) to the library the page ships.</summary>
    private sealed class LibraryReferenceResolver(BrowserReferences references) : MetadataReferenceResolver
    {
        public override bool Equals(object? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => 0;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
            string.Equals(Path.GetFileName(reference), "Descent.dll", StringComparison.OrdinalIgnoreCase)
                ? [references.Library]
                : [];
    }
}
