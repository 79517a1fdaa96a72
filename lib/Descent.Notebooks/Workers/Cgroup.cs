using System.Globalization;

namespace Descent.Notebooks.Workers;

/// <summary>
/// A control group that caps a worker's tasks (processes and threads) and memory in the kernel, where the grader may
/// create one (cgroup v1 as root, or a writable cgroup v2 hierarchy). It is the hard stop behind
/// <see cref="WorkerProcess"/>'s own watch of the process tree: a fork bomb's forks fail at the cap instead of filling
/// the machine before the next look, and the kernel ends an allocation past the memory cap.
/// </summary>
internal sealed class Cgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly string[] _folders;
    private readonly string? _pidsEvents;
    private readonly string? _memoryEvents;
    private readonly bool _v1;

    private Cgroup(string[] folders, string? pidsEvents, string? memoryEvents, bool v1)
    {
        _folders = folders;
        _pidsEvents = pidsEvents;
        _memoryEvents = memoryEvents;
        _v1 = v1;
    }

    /// <summary>A new group with the caps, or null when none can be made here (the watch alone then applies).</summary>
    public static Cgroup? TryCreate(int maxTasks, long memoryBytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var name = $"descent-{Guid.NewGuid():N}";
        try
        {
            var tasks = maxTasks.ToString(CultureInfo.InvariantCulture);
            var memory = memoryBytes.ToString(CultureInfo.InvariantCulture);
            if (Directory.Exists(Path.Combine(Root, "pids")) && Directory.Exists(Path.Combine(Root, "memory")))
            {
                var pidsFolder = Directory.CreateDirectory(Path.Combine(Root, "pids", name)).FullName;
                var memoryFolder = Directory.CreateDirectory(Path.Combine(Root, "memory", name)).FullName;
                return Configured(
                    new Cgroup([pidsFolder, memoryFolder], Path.Combine(pidsFolder, "pids.events"), Path.Combine(memoryFolder, "memory.failcnt"), v1: true),
                    (Path.Combine(pidsFolder, "pids.max"), tasks), (Path.Combine(memoryFolder, "memory.limit_in_bytes"), memory));
            }

            if (File.Exists(Path.Combine(Root, "cgroup.subtree_control"))
                && File.ReadAllText(Path.Combine(Root, "cgroup.subtree_control")).Split(' ', '\n').Contains("pids"))
            {
                var folder = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
                return Configured(
                    new Cgroup([folder], Path.Combine(folder, "pids.events"), Path.Combine(folder, "memory.events"), v1: false),
                    (Path.Combine(folder, "pids.max"), tasks), (Path.Combine(folder, "memory.max"), memory));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not permitted here (no root, a read-only hierarchy, no delegation): the watch alone applies.
        }

        return null;
    }

    // The group with its caps written, or removed again (and the error passed on) when a cap cannot be set.
    private static Cgroup Configured(Cgroup group, params (string File, string Value)[] caps)
    {
        try
        {
            foreach (var (file, value) in caps)
            {
                File.WriteAllText(file, value);
            }

            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>Moves <paramref name="pid"/> (before it starts anything) into the group.</summary>
    public void Add(int pid)
    {
        foreach (var folder in _folders)
        {
            File.WriteAllText(Path.Combine(folder, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>True once a fork or thread creation failed at the task cap.</summary>
    public bool TasksCapHit => Counter(_pidsEvents, "max") > 0;

    /// <summary>True once the memory cap was reached (v1: an allocation failed at it; v2: the kernel killed for it).</summary>
    public bool MemoryCapHit => _v1 ? Counter(_memoryEvents, null) > 0 : Counter(_memoryEvents, "oom_kill") > 0;

    /// <summary>Removes the group (its processes have ended by then; retried briefly while the kernel lets them go).</summary>
    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(folder); attempt++)
            {
                try
                {
                    Directory.Delete(folder);
                }
                catch (IOException)
                {
                    Thread.Sleep(20);
                }
            }
        }
    }

    // A "key value" line of an events file, or the single number of a counter file.
    private static long Counter(string? file, string? key)
    {
        try
        {
            if (file is null || !File.Exists(file))
            {
                return 0;
            }

            foreach (var line in File.ReadAllLines(file))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (key is null && parts.Length == 1)
                {
                    return long.Parse(parts[0], CultureInfo.InvariantCulture);
                }

                if (parts.Length == 2 && parts[0] == key)
                {
                    return long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // The group is going away.
        }

        return 0;
    }
}
