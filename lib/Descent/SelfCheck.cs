using System.Diagnostics;

namespace Descent;

/// <summary>
/// The student's self-check from inside a notebook: runs the course's <c>check</c> command on the saved notebook in a
/// fresh process (the notebook as it is on disk, top to bottom, as the grader will run it) and returns its summary —
/// per exercise passed or failed, the failing check's sentence and the points. <c>assign</c> ends every student
/// notebook with a cell that calls it (the grader and <c>check</c> skip that cell).
/// </summary>
public static class SelfCheck
{
    /// <summary>Runs <c>check</c> on <paramref name="notebook"/> (a path relative to the notebook's folder, the kernel's working directory) and returns its summary.</summary>
    /// <exception cref="FileNotFoundException">The notebook, or the course's engine project above it, was not found.</exception>
    /// <exception cref="InvalidOperationException">check itself failed (not the student's tests); the message holds its output.</exception>
    public static string Run(string notebook)
    {
        var psi = Command(notebook);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // check writes its summary to standard error (its log); dotnet's build messages go to standard output.
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"check exited with code {process.ExitCode}:{Environment.NewLine}{errors.Result}{output}".TrimEnd());
        }

        return errors.Result.TrimEnd();
    }

    /// <summary>The process <see cref="Run"/> starts: <c>dotnet run --project …/lib/Descent.Notebooks -- check NOTEBOOK</c>.</summary>
    /// <exception cref="FileNotFoundException">The notebook, or the course's engine project above it, was not found.</exception>
    public static ProcessStartInfo Command(string notebook)
    {
        ArgumentException.ThrowIfNullOrEmpty(notebook);
        var path = Path.GetFullPath(notebook);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{notebook} was not found in {Directory.GetCurrentDirectory()}: save the notebook, and pass its file name.", path);
        }

        for (var dir = new DirectoryInfo(Path.GetDirectoryName(path)!); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "lib", "Descent.Notebooks", "Descent.Notebooks.csproj");
            if (File.Exists(project))
            {
                return new ProcessStartInfo("dotnet", ["run", "--project", project, "--", "check", path])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
            }
        }

        throw new FileNotFoundException($"the course's engine (lib/Descent.Notebooks/Descent.Notebooks.csproj) was not found above {path}.");
    }
}
