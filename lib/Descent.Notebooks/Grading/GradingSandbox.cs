using Descent.Notebooks.Documents;
using Descent.Notebooks.Engine;

namespace Descent.Notebooks.Grading;

/// <summary>
/// What a grading sandbox shows besides the runtime: the folders of the files the source notebooks <c>#r</c> (the
/// library build), the <c>data/</c> folder the library finds above the source, and <c>--allow-read</c> paths; and the
/// package restores the sources need, made beforehand because a sandbox has no network and a read-only cache.
/// </summary>
public static class GradingSandbox
{
    /// <summary>Restores the sources' packages and returns the read-only paths for their submissions.</summary>
    public static async Task<IReadOnlyList<string>> PrepareAsync(
        IReadOnlyList<NotebookDocument> sources, IReadOnlyList<string> allowRead, TextWriter log, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        foreach (var source in sources)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(source.Path))!;
            var directives = source.Cells.Where(c => c.IsCode)
                .Select(c => string.Join('\n', c.Source.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("#r ", StringComparison.Ordinal) || l.StartsWith("#i ", StringComparison.Ordinal))))
                .Where(d => d.Length > 0).ToArray();
            foreach (var line in directives.SelectMany(d => d.Split('\n')))
            {
                var quoted = line[3..].Trim().Trim('"');
                if (line.StartsWith("#r ", StringComparison.Ordinal) && !quoted.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
                {
                    var file = Path.GetFullPath(Path.Combine(folder, quoted));
                    paths.Add(Path.GetDirectoryName(file)!);
                }
            }

            for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "data")))
                {
                    paths.Add(Path.Combine(dir.FullName, "data"));
                    break;
                }
            }

            // The packages, restored outside the sandbox into the cache the sandbox reads: the same directives, cell by cell.
            using var session = ExecutionSession.Create(new ExecutionSessionOptions(folder));
            foreach (var cell in directives.Where(d => d.Contains("nuget:", StringComparison.OrdinalIgnoreCase)))
            {
                var result = await session.SubmitAsync(cell, null, cancellationToken);
                if (result.Error is { } error)
                {
                    log.WriteLine($"warning: {source.Path}: restoring its packages failed ({error.Name}: {error.Value}); submissions that need them will fail.");
                }
            }
        }

        foreach (var path in allowRead)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new FileNotFoundException($"--allow-read: path not found: {path}");
            }

            paths.Add(Path.GetFullPath(path));
        }

        return paths.Distinct().ToArray();
    }
}
