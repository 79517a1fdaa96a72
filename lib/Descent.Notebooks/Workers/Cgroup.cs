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
            if (Directory.Exists(Path.Combine(Root, "pids")) && Directory.Exists(Path.Combine(Root, "memory")))
            {
                var pids = Directory.CreateDirectory(Path.Combine(Root, "pids", name)).FullName;
                var memory = Directory.CreateDirectory(Path.Combine(Root, "memory", name)).FullName;
                var group = new Cgroup([pids, memory], Path.Combine(pids, "pids.events"), Path.Combine(memory, "memory.failcnt"), v1: true);
                try
                {
                    File.WriteAllText(Path.Combine(pids, "pids.max"), maxTasks.ToString(CultureInfo.InvariantCulture));
                    File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                    return group;
                }
                catch
                {
                    group.Dispose();
                    throw;
                }
            }

            if (File.Exists(Path.Combine(Root, "cgroup.subtree_control"))
                && File.ReadAllText(Path.Combine(Root, "cgroup.subtree_control")).Split(' ', '\n').Contains("pids"))
            {
                var folder = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
                var group = new Cgroup([folder], Path.Combine(folder, "pids.events"), Path.Combine(folder, "memory.events"), v1: false);
                try
                {
                    File.WriteAllText(Path.Combine(folder, "pids.max"), maxTasks.ToString(CultureInfo.InvariantCulture));
                    File.WriteAllText(Path.Combine(folder, "memory.max"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                    return group;
                }
                catch
                {
                    group.Dispose();
                    throw;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not permitted here (no root, a read-only hierarchy, no delegation): the watch alone applies.
        }

        return null;
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
