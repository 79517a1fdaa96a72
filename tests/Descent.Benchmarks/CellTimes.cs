using System.Diagnostics;
using System.Text.Json.Nodes;
using Descent.Notebooks.Engine;

namespace Descent.Benchmarks;

/// <summary>Runs one notebook's code cells in order in a fresh session and prints the slowest cells: where the course spends its time.</summary>
internal static class CellTimes
{
    public static async Task<int> Run(string path)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var total = Stopwatch.StartNew();
        using var session = ExecutionSession.Create(new ExecutionSessionOptions(folder));
        var times = new List<(double Ms, int Cell, string FirstLine)>();
        var index = 0;
        foreach (var cell in notebook["cells"]!.AsArray())
        {
            index++;
            if ((string?)cell!["cell_type"] != "code")
            {
                continue;
            }

            var source = cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
            var clock = Stopwatch.StartNew();
            var result = await session.SubmitAsync(source, null, CancellationToken.None);
            times.Add((clock.Elapsed.TotalMilliseconds, index, source.Split('\n')[0]));
            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"cell {index} failed: {result.Error}");
                return 1;
            }
        }

        Console.WriteLine($"{path}: {times.Count} code cells, {total.Elapsed.TotalSeconds:F1} s including session start");
        foreach (var (ms, cell, line) in times.OrderByDescending(t => t.Ms).Take(8))
        {
            Console.WriteLine($"  cell {cell,3}: {ms,8:F0} ms  {line[..Math.Min(line.Length, 70)]}");
        }

        return 0;
    }
}
