using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Testing;

namespace Descent.Kernel.Tests;

/// <summary>Installs the kernelspec into a temporary Jupyter path and runs Debian's Jupyter clients against it.</summary>
public sealed class JupyterClients : IDisposable
{
    private const string Python = DebianPackages.Python;

    public JupyterClients()
    {
        Prefix = Directory.CreateTempSubdirectory("descent-kernelspec-").FullName;
        if (!DebianPackages.IsPresent(DebianPackages.JupyterClient) && !DebianPackages.InCi)
        {
            return; // the tests using this fixture are skipped, naming the packages to install
        }

        var check = RunProcess(Python, ["-c", "import jupyter_client, nbclient, nbformat"], null, TimeSpan.FromSeconds(60));
        Assert.True(check.ExitCode == 0,
            "The kernel tests need Debian's Jupyter clients: apt-get install python3-jupyter-client python3-nbclient python3-nbformat python3-ipykernel " +
            $"(bash .ci/install-deps does it). {check.Stderr}");
        var install = RunProcess("dotnet", [Path.Combine(AppContext.BaseDirectory, "descent-kernel.dll"), "install", "--prefix", Prefix], null, TimeSpan.FromSeconds(60));
        Assert.True(install.ExitCode == 0, install.Stderr);
    }

    public string Prefix { get; }

    public static string RepoRoot { get; } = FindRoot();

    public void Dispose() => Directory.Delete(Prefix, recursive: true);

    /// <summary>Runs a client script from clients/ and parses the JSON it prints.</summary>
    public JsonObject RunClient(string script, string argument, TimeSpan timeout)
    {
        var run = RunProcess(Python, [Path.Combine(AppContext.BaseDirectory, "clients", script), argument],
            new Dictionary<string, string> { ["JUPYTER_PATH"] = Path.Combine(Prefix, "share", "jupyter") }, timeout);
        Assert.True(run.ExitCode == 0, $"{script} exited {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
        var json = run.Stdout.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        return JsonNode.Parse(json)!.AsObject();
    }

    private static (int ExitCode, string Stdout, string Stderr) RunProcess(string file, string[] args, Dictionary<string, string>? env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env ?? [])
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return (-1, stdout.Result, $"timed out after {timeout.TotalSeconds} s\n{stderr.Result}");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Descent.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Descent.slnx above the test folder.");
    }
}
