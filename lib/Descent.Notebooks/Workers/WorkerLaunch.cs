using System.Diagnostics;
using System.Globalization;

namespace Descent.Notebooks.Workers;

/// <summary>How a worker process is started: its command line, its environment, and its sandbox when asked for.</summary>
internal static class WorkerLaunch
{
    /// <summary>The start information of a worker for <paramref name="options"/>, and the sandbox's scratch directory (null unsandboxed).</summary>
    public static (ProcessStartInfo Psi, string? Scratch) Prepare(WorkerOptions options)
    {
        var program = typeof(WorkerProcess).Assembly.Location;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        string[] arguments =
        [
            "exec", program, "worker", "--folder", options.Folder,
            "--cell-timeout", options.CellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--output-limit", (options.EnforceLimits ? options.OutputLimitBytes : long.MaxValue).ToString(CultureInfo.InvariantCulture),
            "--max-stream-lines", options.OutputLimits.StreamLines.ToString(CultureInfo.InvariantCulture),
            "--max-output-mb", options.OutputLimits.OutputMegabytes.ToString(CultureInfo.InvariantCulture),
            .. options.SendOutputs ? ["--send-outputs"] : Array.Empty<string>(),
            .. options.EnforceLimits ? ["--enforce-limits"] : Array.Empty<string>(),
        ];
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        if (options.EnforceLimits)
        {
            // Managed allocations fail with OutOfMemoryException before the process reaches the limit the parent watches.
            environment["DOTNET_GCHeapHardLimit"] = (options.MemoryLimitBytes / 4 * 3).ToString("X", CultureInfo.InvariantCulture);
        }
        ProcessStartInfo psi;
        string? scratch = null;
        if (options.Sandboxed)
        {
            scratch = Directory.CreateTempSubdirectory("descent-sandbox-").FullName;
            var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
            environment["DOTNET_ROOT"] = dotnetRoot.TrimEnd('/');
            environment["LANG"] = Environment.GetEnvironmentVariable("LANG") ?? "C.UTF-8";
            foreach (var name in new[] { "NUGET_PACKAGES", "DESCENT_NUGET_CACHE" })
            {
                if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
                {
                    environment[name] = value;
                }
            }

            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            environment.TryAdd("NUGET_PACKAGES", Path.Combine(home, ".nuget", "packages"));
            environment.TryAdd("DESCENT_NUGET_CACHE", Path.Combine(home, ".cache", "descent", "restore"));
            string[] runtime = [dotnetRoot.TrimEnd('/'), Path.GetDirectoryName(program)!, environment["NUGET_PACKAGES"], environment["DESCENT_NUGET_CACHE"], "/opt/nuget/packages"];
            var readOnly = runtime.Concat(options.ReadOnlyPaths).Select(p => Path.GetFullPath(p).TrimEnd('/'))
                .Where(p => File.Exists(p) || Directory.Exists(p)).Distinct().ToArray();
            psi = Sandbox.Wrap(ResolveHost(host), arguments, new SandboxView(Path.GetFullPath(options.Folder).TrimEnd('/'), readOnly), scratch, environment);
        }
        else
        {
            psi = new ProcessStartInfo(host, arguments) { WorkingDirectory = options.Folder, UseShellExecute = false };
            foreach (var (name, value) in environment)
            {
                psi.Environment[name] = value;
            }
        }

        return (psi, scratch);
    }

    // The same program behind "sh -c 'read -r _; exec "$@"'": it starts only once the parent writes a line.
    public static ProcessStartInfo Gated(ProcessStartInfo psi)
    {
        var gated = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = psi.WorkingDirectory };
        foreach (var item in new[] { "-c", "read -r _ && exec \"$@\"", "sh", psi.FileName }.Concat(psi.ArgumentList))
        {
            gated.ArgumentList.Add(item);
        }

        foreach (var (name, value) in psi.Environment)
        {
            gated.Environment[name] = value;
        }

        return gated;
    }

    // bubblewrap executes the program by path inside the sandbox, where PATH lookups of the parent do not apply.
    private static string ResolveHost(string host) =>
        Path.IsPathRooted(host) ? host
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, host)).FirstOrDefault(File.Exists) is { } found
                ? new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found
                : host;
}
