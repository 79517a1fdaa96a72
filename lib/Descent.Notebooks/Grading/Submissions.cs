using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;

namespace Descent.Notebooks.Grading;

/// <summary>Finds the source notebooks and the submissions, and names each submission's student.</summary>
internal static class Submissions
{
    internal static Dictionary<string, NotebookDocument> LoadSources(string source)
    {
        var files = RunCommand.Expand([source]);
        var documents = new Dictionary<string, NotebookDocument>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var document = NotebookDocument.Load(file);
            if (Exercises.Validate(document) is { Count: > 0 } problems)
            {
                throw new ArgumentException($"the source is not a valid assignment:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
            }

            if (!documents.TryAdd(Path.GetFileName(file), document))
            {
                throw new ArgumentException($"two source notebooks are named {Path.GetFileName(file)}.");
            }
        }

        return documents;
    }

    // The source notebook for a submission: the only one when --source is a file, else the one with its file name.
    internal static NotebookDocument? SourceFor(Dictionary<string, NotebookDocument> sources, string source, string submission) =>
        File.Exists(source) ? sources.Values.Single() : sources.GetValueOrDefault(Path.GetFileName(submission));

    /// <summary>Submissions and the folder argument they were found under (null for a file given directly).</summary>
    internal static List<(string Path, string? Root)> Discover(IReadOnlyList<string> paths)
    {
        var result = new List<(string, string?)>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                result.Add((path, null));
            }
            else if (Directory.Exists(path))
            {
                result.AddRange(RunCommand.Expand([path]).Select(file => (file, (string?)path)));
            }
            else
            {
                throw new FileNotFoundException($"path not found: {path}");
            }
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("give at least one submission or folder.");
        }

        return result;
    }

    /// <summary>
    /// The student of a submission: nbgrader's <c>root/student/…/notebook.ipynb</c> gives the folder under the root;
    /// a file named like its source notebook and given directly (<c>submissions/alice/01-x.ipynb</c>) gives its folder;
    /// otherwise (flat <c>alice.ipynb</c>) the file name.
    /// </summary>
    internal static string StudentOf(string path, string? root, NotebookDocument source)
    {
        if (root is not null)
        {
            var relative = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return relative.Length > 1 ? relative[0] : Path.GetFileNameWithoutExtension(path);
        }

        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return Path.GetFileName(path) == Path.GetFileName(source.Path) && !string.IsNullOrEmpty(folder)
            ? folder
            : Path.GetFileNameWithoutExtension(path);
    }
}
