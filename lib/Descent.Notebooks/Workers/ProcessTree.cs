using System.Globalization;

namespace Descent.Notebooks.Workers;

/// <summary>The processes below one process (itself included) and their resident memory, read from /proc (Linux).</summary>
/// <param name="Count">Processes in the tree.</param>
/// <param name="ResidentBytes">Their resident memory, added up.</param>
public readonly record struct ProcessTreeUsage(int Count, long ResidentBytes)
{
    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>The usage of <paramref name="root"/>'s tree now; zero when /proc cannot be read.</summary>
    public static ProcessTreeUsage Of(int root)
    {
        var parents = new Dictionary<int, (int Parent, long Pages)>();
        string[] entries;
        try
        {
            entries = Directory.GetDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return default;
        }

        foreach (var entry in entries)
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ')'.
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[21], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended while it was read.
            }
        }

        var children = parents.ToLookup(p => p.Value.Parent, p => p.Key);
        var count = 0;
        long pages = 0;
        var stack = new Stack<int>([root]);
        while (stack.Count > 0)
        {
            var pid = stack.Pop();
            if (!parents.TryGetValue(pid, out var info))
            {
                continue;
            }

            count++;
            pages += info.Pages;
            foreach (var child in children[pid])
            {
                stack.Push(child);
            }
        }

        return new ProcessTreeUsage(count, pages * PageSize);
    }
}
