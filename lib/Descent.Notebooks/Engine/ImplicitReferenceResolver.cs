using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Descent.Notebooks.Engine;

/// <summary>
/// The script resolver, except that an assembly it resolves implicitly from the trusted platform assemblies (a
/// dependency that no reference names: the engine's assembly brings Roslyn's, ~20 MB) is read metadata only and once per
/// process. The script resolver reads each such file whole, for every session; the lookup order (the trusted platform
/// assemblies by simple name, then the referencing assembly's folder) and the references' properties are its own.
/// </summary>
internal sealed class ImplicitReferenceResolver(ScriptMetadataResolver inner) : MetadataReferenceResolver
{
    private static readonly ConcurrentDictionary<string, PortableExecutableReference> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Platform = new(PlatformAssemblies);
    private static MetadataReferenceProperties? _implicitProperties;

    /// <summary>The wrapped resolver (it resolves <c>#r</c> and what is not a trusted platform assembly).</summary>
    public ScriptMetadataResolver Inner { get; } = inner;

    /// <inheritdoc />
    public override bool ResolveMissingAssemblies => Inner.ResolveMissingAssemblies;

    /// <inheritdoc />
    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        Inner.ResolveReference(reference, baseFilePath, properties);

    /// <inheritdoc />
    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
    {
        if (!Platform.Value.TryGetValue(referenceIdentity.Name, out var path) || !File.Exists(path))
        {
            return Inner.ResolveMissingAssembly(definition, referenceIdentity);
        }

        var properties = _implicitProperties ??= ImplicitProperties(definition);
        return Cache.GetOrAdd(path, p => (PortableExecutableReference)ScriptReferences.MetadataOnlyReference(p, properties));
    }

    /// <inheritdoc />
    public override bool Equals(object? other) => other is ImplicitReferenceResolver resolver && Inner.Equals(resolver.Inner);

    /// <inheritdoc />
    public override int GetHashCode() => Inner.GetHashCode();

    // The properties the script resolver gives an implicitly resolved assembly (an alias that keeps its types out of the
    // global namespace), asked of it once with a small framework facade.
    private MetadataReferenceProperties ImplicitProperties(MetadataReference definition) =>
        Inner.ResolveMissingAssembly(definition, new AssemblyIdentity("System.Runtime"))?.Properties
        ?? MetadataReferenceProperties.Assembly.WithAliases(["<implicit>"]);

    // As the script resolver reads them: .dll files by simple name, case-insensitive, the last one winning.
    private static IReadOnlyDictionary<string, string> PlatformAssemblies()
    {
        var paths = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths.Where(p => Path.GetExtension(p) == ".dll"))
        {
            byName[Path.GetFileNameWithoutExtension(path)] = path;
        }

        return byName;
    }
}
