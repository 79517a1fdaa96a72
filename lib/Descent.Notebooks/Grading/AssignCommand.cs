using Descent.Notebooks.Documents;
using Descent.Notebooks.Run;

namespace Descent.Notebooks.Grading;

/// <summary>
/// <c>assign &lt;notebook-or-folder&gt;... --out DIR</c>: writes the student version of each notebook (solutions replaced,
/// hidden tests removed, outputs cleared) to DIR under its file name. Exit 2, naming notebook and cell, when a
/// notebook's markers or grade_ids are wrong; nothing is written then.
/// </summary>
public static class AssignCommand
{
    /// <summary>Runs the command; messages go to <paramref name="log"/>.</summary>
    /// <param name="paths">Instructor notebooks or folders.</param>
    /// <param name="outDir">Where the student versions (or, with <paramref name="classroom"/>, the template repositories) go.</param>
    /// <param name="log">Progress and errors.</param>
    /// <param name="classroom">Write a GitHub Classroom template repository per notebook (<see cref="ClassroomTemplate"/>).</param>
    public static int Execute(IReadOnlyList<string> paths, string outDir, TextWriter log, bool classroom = false)
    {
        List<NotebookDocument> documents;
        try
        {
            documents = RunCommand.Expand(paths).Select(NotebookDocument.Load).ToList();
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or InvalidOperationException)
        {
            log.WriteLine($"error: {e.Message}");
            return RunCommand.BadInput;
        }

        var problems = documents.SelectMany(Exercises.Validate).ToList();
        var clash = documents.GroupBy(d => Path.GetFileName(d.Path)).FirstOrDefault(g => g.Count() > 1);
        if (problems.Count > 0 || clash is not null)
        {
            foreach (var problem in problems)
            {
                log.WriteLine($"error: {problem}");
            }

            if (clash is not null)
            {
                log.WriteLine($"error: two notebooks are named {clash.Key}: {string.Join(", ", clash.Select(d => d.Path))}.");
            }

            return RunCommand.BadInput;
        }

        var sources = documents.Select(d => Path.GetFullPath(d.Path)).ToHashSet();
        foreach (var document in documents)
        {
            var target = Path.Combine(outDir, Path.GetFileName(document.Path));
            if (sources.Contains(Path.GetFullPath(target)))
            {
                log.WriteLine($"error: {target} is a source notebook; choose another --out folder.");
                return RunCommand.BadInput;
            }
        }

        Directory.CreateDirectory(outDir);
        foreach (var document in documents)
        {
            if (classroom)
            {
                try
                {
                    log.WriteLine($"{ClassroomTemplate.Write(document, Exercises.StudentVersion(document), outDir)}: GitHub Classroom template (push it as a template repository)");
                }
                catch (DirectoryNotFoundException e)
                {
                    log.WriteLine($"error: {e.Message}");
                    return RunCommand.BadInput;
                }

                continue;
            }

            var target = Path.Combine(outDir, Path.GetFileName(document.Path));
            NotebookDocument.WriteAtomically(target, NotebookDocument.Serialize(Exercises.StudentVersion(document)));
            var exercises = document.Cells.Count(c => NbgraderCell.Of(c.Json) is { Grade: true });
            log.WriteLine($"{target}: {exercises} graded test cells");
        }

        log.WriteLine(classroom ? $"{documents.Count} template repositories written to {outDir}" : $"{documents.Count} student notebooks written to {outDir}");
        return RunCommand.Success;
    }
}
