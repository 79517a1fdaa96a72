using System.Diagnostics;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Descent.Notebooks.Engine;

/// <summary>
/// The C# notebook engine: cells run in order in one Roslyn script state, with the .NET Interactive C# kernel's
/// default usings, directives, result formatting and error reporting.
/// </summary>
public sealed class ExecutionSession : IExecutionSession
{
    /// <summary>The kernel's default imports (CSharpKernel.cs).</summary>
    public static readonly IReadOnlyList<string> DefaultUsings = DefaultImports.Namespaces;

    private const string PlotlyInteractive = "Plotly.NET.Interactive";
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);
    private static readonly ScriptReferences.AssemblyResolver Resolver = ScriptReferences.Resolver;

    private readonly ExecutionSessionOptions _options;
    private readonly NuGetRestorer _restorer;
    private readonly string _folder;
    private int _attempts;
    private readonly List<PackageReference> _packages = [];
    private readonly List<string> _sources = [];
    private readonly List<string> _submissions = [];
    private ScriptOptions _scriptOptions;
    private int _committedReferences;
    private readonly List<MetadataReference> _references = [];
    private readonly HashSet<MetadataReference> _referenceSet = [];
    private Script? _lastScript;
    private ScriptState<object?>? _state;
    private string? _brokenReason;
    private volatile OutputLimiter? _running;
    private long _produced;
    private bool _disposed;

    private ExecutionSession(ExecutionSessionOptions options)
    {
        _options = options;
        _restorer = new NuGetRestorer(options.RestoreCacheDirectory);
        _folder = Path.GetFullPath(options.WorkingDirectory);
        ConsoleCapture.Install();
        _scriptOptions = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithImports(DefaultImports.All)
            // Not ScriptOptions.Default's own references: ~25 framework names it resolves again (reading each whole file)
            // and that the framework's references below already contain.
            .WithReferences(typeof(CellGlobals).Assembly, typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly)
            .AddReferences(ScriptReferences.Framework.Value)
            .WithMetadataResolver(new ImplicitReferenceResolver(ScriptMetadataResolver.Default.WithBaseDirectory(Path.GetFullPath(options.WorkingDirectory))))
            .WithSourceResolver(new SourceFileResolver([], Path.GetFullPath(options.WorkingDirectory)))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(true);
    }

    /// <summary>Starts a session whose <c>#r "path"</c> directives resolve relative to <see cref="ExecutionSessionOptions.WorkingDirectory"/>.</summary>
    public static ExecutionSession Create(ExecutionSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(options.WorkingDirectory))
        {
            throw new DirectoryNotFoundException($"Working directory '{options.WorkingDirectory}' does not exist.");
        }

        return new ExecutionSession(options);
    }

    /// <inheritdoc />
    public ScriptSnapshot Snapshot => new(
        _references.Count > 0 ? _references.ToArray() : _scriptOptions.MetadataReferences.ToArray(),
        DefaultUsings,
        _submissions.ToArray());

    /// <inheritdoc />
    public Func<InputRequest, CancellationToken, string?>? Input { get; set; }

    /// <summary>True once a cell ignored its interrupt: the session's state is lost and it runs no more cells.</summary>
    public bool IsAbandoned => _brokenReason is not null;

    /// <inheritdoc />
    public bool IsComplete(string code)
    {
        var directives = CellDirectives.Parse(code ?? string.Empty);
        if (directives.Error is not null)
        {
            return true;
        }

        var tree = CSharpSyntaxTree.ParseText(directives.Code, ParseOptions);
        return SyntaxFactory.IsCompleteSubmission(tree);
    }

    /// <inheritdoc />
    public async Task<SubmissionResult> SubmitAsync(string code, Action<CellOutput>? onOutput, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(code);
        var outputs = new List<CellOutput>();
        var limiter = new OutputLimiter(_options.OutputLimits, output =>
        {
            lock (outputs)
            {
                outputs.Add(output);
            }

            onOutput?.Invoke(output);
        });
        _running = limiter;

        SubmissionResult Fail(ErrorOutput error)
        {
            limiter.Add(error);
            return Snapshot(error);
        }

        SubmissionResult Snapshot(ErrorOutput? error)
        {
            lock (outputs)
            {
                return new SubmissionResult(outputs.ToArray(), error);
            }
        }

        try
        {
            return await ExecuteAsync(code, limiter.Add, Fail, () => { limiter.Finish(); return Snapshot(null); }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted (or timed out) while restoring or compiling, before the cell ran.
            return Fail(CellErrors.Interrupted(hard: false));
        }
        finally
        {
            Interlocked.Add(ref _produced, limiter.Produced);
            _running = null;
        }
    }

    /// <summary>Characters of output the cells produced so far, before <see cref="OutputLimits"/> (streams and rich outputs).</summary>
    public long OutputProduced => Interlocked.Read(ref _produced) + (_running?.Produced ?? 0);

    private async Task<SubmissionResult> ExecuteAsync(
        string code, Action<CellOutput> emit, Func<ErrorOutput, SubmissionResult> fail, Func<SubmissionResult> succeed, CancellationToken cancellationToken)
    {
        if (_brokenReason is not null)
        {
            return fail(new ErrorOutput("SessionUnavailable", _brokenReason, [_brokenReason]));
        }

        var directives = CellDirectives.Parse(code);
        if (directives.Error is not null)
        {
            return fail(CellErrors.Directive(directives));
        }

        var clock = Stopwatch.StartNew();
        if (directives.Packages.Count > 0 || directives.Sources.Count > 0)
        {
            var restoreError = await AddPackagesAsync(directives, cancellationToken);
            if (restoreError is not null)
            {
                return fail(restoreError);
            }
        }

        if (string.IsNullOrWhiteSpace(directives.Code))
        {
            CellErrors.ReportTime(directives, clock.Elapsed, emit);
            return succeed();
        }

        // Each submission has its own file name, so a stack trace's line is found in this cell's frame.
        var cellPath = Path.Combine(_folder, $"submission{++_attempts}.csx");
        var options = _scriptOptions.WithFilePath(cellPath);
        if (_lastScript is not null)
        {
            // A submission inherits its predecessors' references: give it only those added since (restored packages).
            // Handing every one of the ~170 framework references to each submission made Roslyn bind them all again,
            // three quarters of a trivial cell's time.
            options = options.WithReferences(_scriptOptions.MetadataReferences.Skip(_committedReferences));
        }

        var runnable = LoopInstrumenter.Instrument(directives.Code, ParseOptions);
        var script = _lastScript is null
            ? CSharpScript.Create(runnable, options)
            : _lastScript.ContinueWith(runnable, options);
        var errors = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            if (!ReferenceEquals(runnable, directives.Code))
            {
                // Report positions in the code as written, not as instrumented.
                var plain = _lastScript is null
                    ? CSharpScript.Create(directives.Code, options)
                    : _lastScript.ContinueWith(directives.Code, options);
                var plainErrors = plain.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
                errors = plainErrors.Length > 0 ? plainErrors : errors;
            }

            return fail(CellErrors.CompilationError(errors, directives));
        }

        Resolver.Register(script.GetCompilation());
        var hasResult = TrailingExpression.Find(script.GetCompilation(), out var resultIsVoid);
        var context = new CellContext(emit, cancellationToken, EnsurePlotlyFormatter, Input);
        var run = Task.Factory.StartNew(
            () =>
            {
                CellContext.Current = context;
                return _state is null
                    ? script.RunAsync(globals: null, catchException: _ => true, cancellationToken)
                    : script.RunFromAsync(_state, catchException: _ => true, cancellationToken);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default).Unwrap();

        var finished = await Task.WhenAny(run, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        if (finished != run)
        {
            // Interrupted: instrumented loops throw promptly; code blocked elsewhere gets a grace period.
            if (await Task.WhenAny(run, Task.Delay(_options.InterruptGracePeriod, CancellationToken.None)) != run)
            {
                _brokenReason = "A cell was interrupted but did not stop, so this session's state is lost. Restart the session.";
                return fail(CellErrors.Interrupted(hard: true));
            }
        }

        ScriptState<object?> state;
        try
        {
            state = await run;
        }
        catch (OperationCanceledException)
        {
            return fail(CellErrors.Interrupted(hard: false));
        }
        catch (CompilationErrorException e)
        {
            return fail(CellErrors.CompilationError(e.Diagnostics.ToArray(), directives));
        }

        _state = state;
        _lastScript = script;
        _committedReferences = _scriptOptions.MetadataReferences.Length;
        foreach (var reference in script.GetCompilation().References)
        {
            if (_referenceSet.Add(reference))
            {
                _references.Add(reference);
            }
        }

        _submissions.Add(directives.Code);
        if (state.Exception is { } exception)
        {
            return exception is OperationCanceledException && cancellationToken.IsCancellationRequested
                ? fail(CellErrors.Interrupted(hard: false))
                : fail(CellErrors.RuntimeError(exception, directives, cellPath));
        }

        if (hasResult && !resultIsVoid && state.ReturnValue is not DisplayedValue)
        {
            try
            {
                emit(new ResultOutput(MimeFormatting.Format(state.ReturnValue, null, EnsurePlotlyFormatter)));
            }
            catch (Exception e)
            {
                return fail(CellErrors.RuntimeError(e, directives, cellPath));
            }
        }

        CellErrors.ReportTime(directives, clock.Elapsed, emit);
        return succeed();
    }

    /// <summary>Ends the session: its script state (every variable the cells made) is let go, so its memory can be collected.</summary>
    public void Dispose()
    {
        _disposed = true;
        _state = null;
        _lastScript = null;
    }

    private async Task<ErrorOutput?> AddPackagesAsync(CellDirectives directives, CancellationToken cancellationToken)
    {
        var added = new List<PackageReference>();
        var firstAddedLine = 1;
        for (var i = 0; i < directives.Packages.Count; i++)
        {
            var requested = directives.Packages[i];
            var package = requested;
            if (string.Equals(package.Id, PlotlyInteractive, StringComparison.OrdinalIgnoreCase))
            {
                // Plotly.NET.Interactive only registers a chart formatter; the engine does that itself. It needs
                // Plotly.NET: the one already referenced, else the version released with it (they ship in lockstep).
                if (_packages.Concat(added).Any(p => string.Equals(p.Id, "Plotly.NET", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                package = new PackageReference("Plotly.NET", package.Version);
            }

            var previous = _packages.FirstOrDefault(p => string.Equals(p.Id, package.Id, StringComparison.OrdinalIgnoreCase));
            if (previous is not null)
            {
                if (previous.Version == package.Version || package.Version is null)
                {
                    continue;
                }

                var message = $"{requested.Id} version {package.Version} cannot be added because version {previous.Version ?? "(latest)"} was added previously.";
                return new ErrorOutput("NuGetVersionConflict", message, [message], directives.PackageLines[i]);
            }

            if (added.Count == 0)
            {
                firstAddedLine = directives.PackageLines[i];
            }

            added.Add(package);
        }

        _sources.AddRange(directives.Sources.Except(_sources));
        if (added.Count == 0 && directives.Sources.Count == 0)
        {
            return null;
        }

        RestoreResult result;
        try
        {
            result = await _restorer.RestoreAsync([.. _packages, .. added], _sources, cancellationToken);
        }
        catch (RestoreException e)
        {
            return new ErrorOutput("NuGetRestoreError", e.Message, e.Message.Split('\n'), firstAddedLine);
        }

        foreach (var package in added)
        {
            var version = package.Version ?? (result.Versions.TryGetValue(package.Id, out var v) ? v : null);
            _packages.Add(package with { Version = version });
        }

        Resolver.Register(result.Assemblies);
        var known = _scriptOptions.MetadataReferences.OfType<PortableExecutableReference>().Select(r => r.FilePath).ToHashSet();
        var fresh = result.Assemblies.Where(a => !known.Contains(a) && !Resolver.IsFrameworkAssembly(a)).ToArray();
        _scriptOptions = _scriptOptions.AddReferences(fresh.Select(a => MetadataReference.CreateFromFile(a)));
        return null;
    }

    // A Plotly.NET chart shows as a chart whenever Plotly.NET is loaded (Plotly.NET.Interactive or not).
    private static void EnsurePlotlyFormatter() => PlotlyFormatter.EnsureRegistered();
}
