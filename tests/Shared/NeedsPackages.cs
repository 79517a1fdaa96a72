// Compiled into every test project that drives an outside program (linked from tests/Shared).
using System.Diagnostics;

namespace Descent.Testing;

/// <summary>The Debian packages some tests drive; <c>bash .ci/install-deps</c> installs them all.</summary>
internal static class DebianPackages
{
    /// <summary>Headless Chromium (package <c>chromium</c>).</summary>
    public const string Chromium = "chromium";

    /// <summary>Python's Jupyter clients (<c>python3-jupyter-client</c>, <c>python3-nbclient</c>, <c>python3-nbformat</c>, <c>python3-ipykernel</c>).</summary>
    public const string JupyterClient = "jupyter-client";

    /// <summary>The classic Notebook 6 server (<c>jupyter-notebook</c>).</summary>
    public const string JupyterNotebook = "jupyter-notebook";

    /// <summary>bubblewrap, grade's sandbox (<c>bwrap</c>).</summary>
    public const string Bubblewrap = "bubblewrap";

    /// <summary>Chromium's path.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Debian's Python, which sees the Debian Jupyter packages (a pyenv or venv python may not).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> JupyterClientPresent = new(() =>
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using var p = Process.Start(new ProcessStartInfo(Python, ["-c", "import jupyter_client, nbclient, nbformat"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        return p.WaitForExit(60_000) && p.ExitCode == 0;
    });

    private static readonly Lazy<bool> JupyterNotebookPresent = new(() =>
        File.Exists("/usr/bin/jupyter-notebook") && File.Exists(Python) && Run(Python, "-c", "import notebook.notebookapp"));

    /// <summary>True when CI runs the tests (CI=true): CI installs every package, so nothing may be skipped there.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Debian package names behind a requirement, as apt-get wants them.</summary>
    public static string PackagesOf(string requirement) => requirement switch
    {
        Chromium => "chromium",
        JupyterClient => "python3-jupyter-client python3-nbclient python3-nbformat python3-ipykernel",
        JupyterNotebook => "jupyter-notebook",
        Bubblewrap => "bubblewrap",
        _ => throw new ArgumentException($"unknown requirement '{requirement}'.", nameof(requirement)),
    };

    /// <summary>Whether a requirement is met on this machine.</summary>
    public static bool IsPresent(string requirement) => requirement switch
    {
        Chromium => File.Exists(ChromiumPath),
        JupyterClient => JupyterClientPresent.Value,
        JupyterNotebook => JupyterNotebookPresent.Value,
        Bubblewrap => File.Exists("/usr/bin/bwrap"),
        _ => throw new ArgumentException($"unknown requirement '{requirement}'.", nameof(requirement)),
    };

    /// <summary>
    /// "install X (bash .ci/install-deps)" for the missing requirements, or null when all are there or in CI (where a
    /// missing package must fail the test, not skip it).
    /// </summary>
    public static string? SkipReason(IEnumerable<string> requirements)
    {
        var missing = requirements.Where(r => !IsPresent(r)).Select(PackagesOf).ToArray();
        return missing.Length == 0 || InCi ? null : $"install {string.Join(" ", missing)} (bash .ci/install-deps)";
    }

    private static bool Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        return p.WaitForExit(60_000) && p.ExitCode == 0;
    }
}

/// <summary>
/// A fact that drives Debian packages: reported as skipped, "install X (bash .ci/install-deps)", when one is missing,
/// so <c>dotnet test</c> passes on a machine with only the .NET SDK; under CI=true it always runs (and fails if a
/// package is missing), and <c>.ci/run</c> fails on any skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NeedsPackagesFactAttribute : FactAttribute
{
    public NeedsPackagesFactAttribute(params string[] requirements) => Skip = DebianPackages.SkipReason(requirements);
}

/// <summary>The theory form of <see cref="NeedsPackagesFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NeedsPackagesTheoryAttribute : TheoryAttribute
{
    public NeedsPackagesTheoryAttribute(params string[] requirements) => Skip = DebianPackages.SkipReason(requirements);
}
