using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Descent.Notebooks.Engine;

/// <summary>What scripts compile against and load from: the framework's metadata, read once per process, and the assemblies of restored packages and <c>#r</c>'d folders.</summary>
internal static class ScriptReferences
{
    /// <summary>Finds assemblies that scripts reference (restored packages, folders of <c>#r</c>'d DLLs) by simple name.</summary>
    public static readonly AssemblyResolver Resolver = new();

    /// <summary>The framework's reference assemblies, read once per process and shared by its sessions, so Roslyn also reuses the symbols it builds from them.</summary>
    public static readonly Lazy<MetadataReference[]> Framework = new(() => [.. TrustedPlatformReferences()]);

    private static IEnumerable<MetadataReference> TrustedPlatformReferences()
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa.Where(p => Path.GetDirectoryName(p) == runtimeDir)
            .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Select(MetadataOnlyReference);
    }

    // MetadataReference.CreateFromFile reads the whole image; the framework's are mostly native code (60 MB in all),
    // a compilation needs only their metadata.
    internal static MetadataReference MetadataOnlyReference(string path) => MetadataOnlyReference(path, MetadataReferenceProperties.Assembly);

    internal static MetadataReference MetadataOnlyReference(string path, MetadataReferenceProperties properties)
    {
        using var stream = File.OpenRead(path);
        var module = ModuleMetadata.CreateFromStream(stream, PEStreamOptions.PrefetchMetadata);
        return AssemblyMetadata.Create(module).GetReference(aliases: properties.Aliases, embedInteropTypes: properties.EmbedInteropTypes, filePath: path, display: path);
    }

    /// <summary>Resolves assemblies that scripts reference (restored packages, folders of <c>#r</c>'d DLLs) by simple name.</summary>
    internal sealed class AssemblyResolver
    {
        private readonly Dictionary<string, string> _paths = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _framework;

        public AssemblyResolver()
        {
            var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            _framework = Directory.GetFiles(runtimeDir, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase)!;
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                string? path;
                lock (_paths)
                {
                    _paths.TryGetValue(name.Name ?? string.Empty, out path);
                }

                return path is not null && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
            };
        }

        public bool IsFrameworkAssembly(string path) => _framework.Contains(Path.GetFileNameWithoutExtension(path));

        public void Register(IEnumerable<string> assemblies)
        {
            lock (_paths)
            {
                foreach (var a in assemblies)
                {
                    _paths.TryAdd(Path.GetFileNameWithoutExtension(a), a);
                }
            }
        }

        public void Register(Compilation compilation)
        {
            var folders = compilation.References.OfType<PortableExecutableReference>()
                .Select(r => r.FilePath)
                .Where(p => p is not null && !IsFrameworkAssembly(p))
                .Select(p => Path.GetDirectoryName(p!)!)
                .Distinct()
                .ToArray();
            foreach (var folder in folders)
            {
                if (Directory.Exists(folder))
                {
                    Register(Directory.GetFiles(folder, "*.dll"));
                }
            }
        }
    }
}
