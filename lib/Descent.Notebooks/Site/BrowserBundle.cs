using System.Reflection;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Site;

/// <summary>
/// The in-browser runner (lib/Descent.Browser: .NET WebAssembly, the engine's rules, Roslyn), as the site serves it
/// from run/: the worker script, the framework's reference assemblies and the runtime's files, gzip-compressed.
/// </summary>
public static class BrowserBundle
{
    /// <summary>The site folder the bundle is copied to; pages load <c>run/descent-worker.js</c>.</summary>
    public const string SiteFolder = "run";

    /// <summary>
    /// The bundle this build of the engine was built with (Descent.Notebooks builds lib/Descent.Browser first and records
    /// the folder), or null when it is missing: then pages are written without run controls.
    /// </summary>
    public static string? Installed
    {
        get
        {
            var folder = typeof(BrowserBundle).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "DescentBrowserBundle")?.Value;
            return folder is not null && File.Exists(Path.Combine(folder, "descent-worker.js")) ? folder : null;
        }
    }

    /// <summary>Copies the bundle in <paramref name="bundle"/> to <paramref name="siteFolder"/>/run, each file atomically.</summary>
    public static void CopyTo(string bundle, string siteFolder)
    {
        var target = Path.Combine(siteFolder, SiteFolder);
        foreach (var file in Directory.GetFiles(bundle, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(bundle, file));
            // Runtime files carry a content hash in their names: one already there is the same file.
            if (File.Exists(destination) && new FileInfo(destination).Length == new FileInfo(file).Length && Path.GetFileName(file).Count(c => c == '.') >= 2)
            {
                continue;
            }

            AtomicFile.Write(destination, stream =>
            {
                using var source = File.OpenRead(file);
                source.CopyTo(stream);
            });
        }
    }
}
