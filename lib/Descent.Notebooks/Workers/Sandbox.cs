using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Descent.Notebooks.Workers;

/// <summary>
/// What a sandboxed worker may see: <paramref name="Folder"/> (the notebook's folder, which inside the sandbox is an
/// empty scratch directory, the only writable place besides /tmp) and <paramref name="ReadOnlyPaths"/> (the library
/// build, the data, the package caches). Everything else of the machine is absent.
/// </summary>
/// <param name="Folder">The notebook's folder as the worker sees it (its working directory and home).</param>
/// <param name="ReadOnlyPaths">Files or folders bound read-only at the same path.</param>
public sealed record SandboxView(string Folder, IReadOnlyList<string> ReadOnlyPaths);

/// <summary>
/// Builds bubblewrap sandboxes for workers: new user, PID, network, IPC and UTS namespaces (no network but its own
/// loopback; every process ends with the worker), an empty root with the system's /usr and the listed paths read-only,
/// and a private scratch directory as the notebook's folder and /tmp.
/// </summary>
public static class Sandbox
{
    private static readonly Lazy<string?> Probe = new(() => Explain(Bwrap));

    /// <summary>Null when sandboxes can be built here, else a sentence saying why not and how to proceed.</summary>
    public static string? Unavailable => Probe.Value;

    /// <summary>The bubblewrap program (on PATH as <c>bwrap</c>).</summary>
    public static string? Bwrap { get; } = FindOnPath("bwrap");

    /// <summary>
    /// The start info that runs <paramref name="program"/> with <paramref name="arguments"/> inside a sandbox showing
    /// <paramref name="view"/>, with <paramref name="scratch"/> (created by the caller, removed after) as its writable space.
    /// </summary>
    public static ProcessStartInfo Wrap(string program, IReadOnlyList<string> arguments, SandboxView view, string scratch, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var work = Directory.CreateDirectory(Path.Combine(scratch, "work")).FullName;
        var tmp = Directory.CreateDirectory(Path.Combine(scratch, "tmp")).FullName;
        var psi = new ProcessStartInfo(Bwrap ?? "bwrap") { UseShellExecute = false };
        void Add(params string[] items)
        {
            foreach (var item in items)
            {
                psi.ArgumentList.Add(item);
            }
        }

        Add("--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try");
        // No --die-with-parent: it ties the sandbox's life to the .NET thread that started it, and the thread pool
        // retires threads (the kernel then kills the sandbox mid-cell). The parent ends the whole tree itself, and a
        // worker whose parent is gone reads the end of its input and exits.
        Add("--new-session", "--hostname", "sandbox");
        Add("--ro-bind", "/usr", "/usr");
        foreach (var top in new[] { "bin", "sbin", "lib", "lib32", "lib64" })
        {
            var path = "/" + top;
            if (new FileInfo(path).LinkTarget is { } target)
            {
                Add("--symlink", target, path);
            }
            else if (Directory.Exists(path))
            {
                Add("--ro-bind", path, path);
            }
        }

        // What the dynamic linker and the runtime read from /etc; nothing else of it (no accounts, no secrets).
        foreach (var file in new[] { "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/nsswitch.conf" })
        {
            Add("--ro-bind-try", file, file);
        }

        Add("--proc", "/proc", "--dev", "/dev");
        Add("--bind", tmp, "/tmp");
        // Shallow paths first, so a read-only path inside the notebook's folder is mounted over the scratch.
        var binds = view.ReadOnlyPaths.Where(p => !IsUnder(p, "/usr")).Select(p => (Path: p, Writable: false))
            .Append((Path: view.Folder, Writable: true))
            .Distinct()
            .OrderBy(b => b.Path.Count(c => c == '/'))
            .ThenBy(b => b.Path, StringComparer.Ordinal);
        foreach (var (path, writable) in binds)
        {
            if (writable)
            {
                Add("--bind", work, path);
            }
            else
            {
                Add("--ro-bind", path, path);
            }
        }

        // Nothing else is writable: not even the empty root the paths above were mounted on.
        Add("--remount-ro", "/", "--chdir", view.Folder, "--clearenv");
        foreach (var (name, value) in environment)
        {
            Add("--setenv", name, value);
        }

        Add("--setenv", "HOME", view.Folder, "--setenv", "TMPDIR", "/tmp", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin");
        Add("--", program);
        Add([.. arguments]);
        return psi;
    }

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);

    /// <summary>Why <paramref name="bwrap"/> (a path, or null when none was found) cannot build a sandbox here, or null when it can.</summary>
    internal static string? Explain(string? bwrap)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return $"grade isolates each submission with bubblewrap, which needs Linux (this is {RuntimeInformation.OSDescription}). "
                + "Grade on Linux (for example in the course's dev container or a GitHub Actions runner), or pass --no-sandbox to run submissions "
                + "without isolation (only for code you trust; the reports record it).";
        }

        if (bwrap is null || !File.Exists(bwrap))
        {
            return "grade isolates each submission with bubblewrap, but 'bwrap' is not on PATH. Install it (Debian/Ubuntu: sudo apt-get install bubblewrap; "
                + "or run bash .ci/install-deps), or pass --no-sandbox to run submissions without isolation (only for code you trust; the reports record it).";
        }

        var psi = new ProcessStartInfo(bwrap)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList = { "--unshare-user", "--unshare-pid", "--unshare-net", "--ro-bind", "/usr", "/usr", "--ro-bind-try", "/lib", "/lib", "--ro-bind-try", "/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "/usr/bin/true" },
        };
        try
        {
            using var process = Process.Start(psi)!;
            var error = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode == 0)
            {
                return null;
            }

            return $"grade isolates each submission with bubblewrap, but bwrap could not build a sandbox here ({(error.Length > 0 ? error : $"exit code {process.ExitCode}")}). "
                + "Unprivileged user namespaces are probably disabled or restricted (Ubuntu 24.04 restricts them with AppArmor: run grade with sudo, or allow them with "
                + "'sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0'), or pass --no-sandbox to run submissions without isolation (only for code you trust; the reports record it).";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"grade isolates each submission with bubblewrap, but {bwrap} could not be started ({e.Message}); pass --no-sandbox to run without isolation.";
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
