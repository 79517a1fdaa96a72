using Descent.Testing;

namespace Descent.Kernel.Tests;

/// <summary>Every course notebook (and the runner's sample) executed through the kernel by nbclient: a second, independent path.</summary>
public sealed class KernelNotebookTests(JupyterClients clients) : IClassFixture<JupyterClients>
{
    public static TheoryData<string> Notebooks()
    {
        var root = JupyterClients.RepoRoot;
        var data = new TheoryData<string>();
        var folder = Path.Combine(root, "notebooks");
        IEnumerable<string> found = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.ipynb", SearchOption.AllDirectories).Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];
        foreach (var path in found.Append(Path.Combine(root, "tests", "Descent.Notebooks.Tests", "Samples", "sample.ipynb")))
        {
            data.Add(Path.GetRelativePath(root, path));
        }

        return data;
    }

    [NeedsPackagesTheory(DebianPackages.JupyterClient)]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_through_the_kernel_without_error(string relativePath)
    {
        var result = clients.RunClient("run_notebook.py", Path.Combine(JupyterClients.RepoRoot, relativePath), TimeSpan.FromMinutes(6));
        Assert.True(result["errors"]!.AsArray().Count == 0 && result["failure"] is null, $"{relativePath}: {result.ToJsonString()}");
        Assert.True((int)result["outputs"]! > 0, $"{relativePath}: no outputs at all");
    }
}
