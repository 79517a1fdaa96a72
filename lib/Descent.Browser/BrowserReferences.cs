using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using Microsoft.CodeAnalysis;

namespace Descent.Browser;

/// <summary>
/// What a cell compiles against in the browser. The app's assemblies ship as webcil, which Roslyn cannot read, so the
/// framework comes from the SDK's reference pack (served beside the app as one zip) and the library and its packages
/// from the metadata of the assemblies already loaded (<c>Assembly.TryGetRawMetadata</c>).
/// </summary>
public sealed class BrowserReferences
{
    private BrowserReferences(ImmutableArray<MetadataReference> framework)
    {
        Framework = framework;
        Library = Loaded("Descent");
        Always = [Loaded("Descent.Browser"), Loaded("Microsoft.DotNet.Interactive.Formatting")];
        ImmutableArray<MetadataReference> plotly = [Loaded("Plotly.NET"), Loaded("FSharp.Core"), Loaded("DynamicObj"), Loaded("Giraffe.ViewEngine"), Loaded("Fable.Core"), Loaded("Newtonsoft.Json")];
        Packages = new Dictionary<string, ImmutableArray<MetadataReference>>(StringComparer.OrdinalIgnoreCase)
        {
            ["MathNet.Numerics"] = [Loaded("MathNet.Numerics")],
            ["Plotly.NET"] = plotly,
            ["Plotly.NET.Interactive"] = plotly,
            ["Plotly.NET.CSharp"] = [.. plotly, Loaded("Plotly.NET.CSharp")],
        };
    }

    /// <summary>The framework's reference assemblies.</summary>
    public ImmutableArray<MetadataReference> Framework { get; }

    /// <summary>What every cell sees besides the framework: the cell globals and the formatter.</summary>
    public ImmutableArray<MetadataReference> Always { get; }

    /// <summary>The course library, which the chapters load with <c>#r "../lib/Descent/bin/Descent.dll"</c>.</summary>
    public PortableExecutableReference Library { get; }

    /// <summary>The packages the page ships, by NuGet id, as <c>#r "nuget: id"</c> adds them.</summary>
    public IReadOnlyDictionary<string, ImmutableArray<MetadataReference>> Packages { get; }

    /// <summary>Reads the framework's reference assemblies from a zip of the reference pack.</summary>
    public static BrowserReferences FromReferencePack(Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
        var framework = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            framework.Add(MetadataReference.CreateFromImage(copy.ToArray(), filePath: entry.FullName));
        }

        return new BrowserReferences(framework.ToImmutable());
    }

    private static unsafe PortableExecutableReference Loaded(string assemblyName)
    {
        var assembly = Assembly.Load(new AssemblyName(assemblyName));
        if (!assembly.TryGetRawMetadata(out var blob, out var length))
        {
            throw new InvalidOperationException($"The metadata of {assemblyName} cannot be read in this runtime.");
        }

        // The blob lives as long as the assembly, which is never unloaded.
        var module = ModuleMetadata.CreateFromMetadata((nint)blob, length);
        return AssemblyMetadata.Create(module).GetReference(filePath: assemblyName + ".dll");
    }
}
