namespace Descent.Tests;

public sealed class SelfCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("descent-selfcheck-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_command_runs_check_on_the_saved_notebook_through_the_course_engine_above_it()
    {
        var project = Path.Combine(_dir, "lib", "Descent.Notebooks", "Descent.Notebooks.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        File.WriteAllText(project, "<Project />");
        var notebook = Path.Combine(_dir, "notebooks", "04-x.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(notebook)!);
        File.WriteAllText(notebook, "{}");

        var psi = SelfCheck.Command(notebook);

        Assert.Equal("dotnet", psi.FileName);
        Assert.Equal(["run", "--project", project, "--", "check", notebook], psi.ArgumentList);
    }

    [Fact]
    public void An_unsaved_notebook_or_a_notebook_outside_the_course_is_named()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => SelfCheck.Command(Path.Combine(_dir, "nope.ipynb")));
        Assert.Contains("nope.ipynb was not found", missing.Message);
        Assert.Contains("save the notebook", missing.Message);

        var stray = Path.Combine(_dir, "stray.ipynb");
        File.WriteAllText(stray, "{}");
        var outside = Assert.Throws<FileNotFoundException>(() => SelfCheck.Command(stray));
        Assert.Contains("lib/Descent.Notebooks/Descent.Notebooks.csproj) was not found above", outside.Message);
    }
}
