namespace Descent.Notebooks.Tests;

/// <summary>Finds the repository (the folder holding Descent.slnx) from the test's output folder.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    public static string Samples => Path.Combine(Root, "tests", "Descent.Notebooks.Tests", "Samples");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Descent.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Descent.slnx above {AppContext.BaseDirectory}.");
    }
}
