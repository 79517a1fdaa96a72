using System.Text.Json.Nodes;
using Descent.Notebooks.Documents;

namespace Descent.Notebooks.Grading;

/// <summary>
/// <c>assign &lt;notebook&gt; --out DIR --classroom</c>: a GitHub Classroom template repository per chapter in
/// <c>DIR/&lt;chapter&gt;/</c> — the student notebook, the library and engine sources it needs, the data, the dev container,
/// and <c>.github/workflows/classroom.yml</c>, which runs <c>check</c> on every push and hands its result to GitHub
/// Classroom's autograding reporter. Hidden tests and solutions stay with the instructor for the final <c>grade</c>.
/// </summary>
public static class ClassroomTemplate
{
    /// <summary>What the template copies from the course, relative to its root (folders without their bin/obj).</summary>
    public static readonly IReadOnlyList<string> CourseFiles =
    [
        "lib/Descent", "lib/Descent.Notebooks", "lib/Descent.Kernel", "data", ".devcontainer",
        "Directory.Build.props", "Directory.Packages.props", ".editorconfig",
    ];

    /// <summary>Writes the template for <paramref name="student"/> (the student version of <paramref name="source"/>) under <paramref name="outDir"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The course root (the notebook folder's parent) lacks the library.</exception>
    public static string Write(NotebookDocument source, JsonObject student, string outDir)
    {
        ArgumentNullException.ThrowIfNull(source);
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(source.Path)))!;
        if (!File.Exists(Path.Combine(root, "lib", "Descent.Notebooks", "Descent.Notebooks.csproj")))
        {
            throw new DirectoryNotFoundException($"{source.Path}: --classroom needs the course around the notebook (lib/Descent.Notebooks/Descent.Notebooks.csproj under {root}).");
        }

        var chapter = Path.GetFileNameWithoutExtension(source.Path);
        var folder = Path.Combine(outDir, chapter);
        foreach (var item in CourseFiles)
        {
            var from = Path.Combine(root, item);
            if (Directory.Exists(from))
            {
                foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories).Where(f => !IsBuildOutput(Path.GetRelativePath(from, f))))
                {
                    var target = Path.Combine(folder, item, Path.GetRelativePath(from, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target, overwrite: true);
                }
            }
            else if (File.Exists(from))
            {
                File.Copy(from, Path.Combine(folder, item), overwrite: true);
            }
        }

        NotebookDocument.WriteAtomically(Path.Combine(folder, "notebooks", chapter + ".ipynb"), NotebookDocument.Serialize(student));
        NotebookDocument.WriteAtomically(Path.Combine(folder, ".github", "workflows", "classroom.yml"), Workflow(chapter));
        NotebookDocument.WriteAtomically(Path.Combine(folder, ".gitignore"), "bin/\nobj/\nartifacts/\n");
        NotebookDocument.WriteAtomically(Path.Combine(folder, "README.md"), Readme(chapter));
        return folder;
    }

    /// <summary>The workflow: check the visible tests on every push, report the points to GitHub Classroom.</summary>
    public static string Workflow(string chapter) => $$$"""
        # Written by `assign --classroom`: grades the visible tests of notebooks/{{{chapter}}}.ipynb on every push and
        # reports the points to GitHub Classroom. The instructor's hidden tests run later, in `grade`.
        name: Autograding Tests
        on: [push, repository_dispatch]
        permissions:
          checks: write
          actions: read
          contents: read
        jobs:
          run-autograding-tests:
            runs-on: ubuntu-latest
            if: github.actor != 'github-classroom[bot]'
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-dotnet@v4
                with:
                  dotnet-version: '10.0.x'
              - name: Visible tests
                id: {{{CheckCommand.ClassroomRunner}}}
                run: dotnet run --project lib/Descent.Notebooks -- check notebooks/{{{chapter}}}.ipynb --classroom
              - name: Autograding Reporter
                uses: classroom-resources/autograding-grading-reporter@v1
                env:
                  {{{CheckCommand.ClassroomRunner.ToUpperInvariant()}}}_RESULTS: "${{ steps.{{{CheckCommand.ClassroomRunner}}}.outputs.result }}"
                with:
                  runners: {{{CheckCommand.ClassroomRunner}}}

        """;

    private static string Readme(string chapter) => $"""
        # {chapter}

        Open this repository in a Codespace (or VS Code with the dev container), open `notebooks/{chapter}.ipynb` and
        pick the *C# (Descent)* kernel. Replace each `// YOUR CODE HERE` and each `YOUR ANSWER HERE`.

        Check your work before you push (the same check runs on every push and reports your points):

        ```bash
        dotnet run --project lib/Descent.Notebooks -- check notebooks/{chapter}.ipynb
        ```

        The check runs the visible tests only; your instructor grades hidden tests and written answers later.

        """;

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
}
