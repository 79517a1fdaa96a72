using Plotly.NET;

namespace Descent.Plots;

/// <summary>Several runs of one configuration (e.g. one per seed): a curve per run, all of the same length.</summary>
/// <param name="Name">Legend name, e.g. "SGD+momentum, η=0.1".</param>
/// <param name="Runs">One curve per run.</param>
/// <param name="Color">Line and band colour.</param>
/// <param name="X">x values; 0, 1, 2, … when null.</param>
public sealed record RunGroup(string Name, IReadOnlyList<IReadOnlyList<double>> Runs, string? Color = null, IReadOnlyList<double>? X = null)
{
    /// <summary>The mean over runs at each point.</summary>
    public double[] Mean() => Enumerable.Range(0, Length).Select(i => Runs.Average(r => r[i])).ToArray();

    /// <summary>The sample standard deviation over runs at each point (0 for a single run).</summary>
    public double[] StandardDeviation()
    {
        var mean = Mean();
        return Enumerable.Range(0, Length)
            .Select(i => Runs.Count < 2 ? 0 : Math.Sqrt(Runs.Sum(r => (r[i] - mean[i]) * (r[i] - mean[i])) / (Runs.Count - 1)))
            .ToArray();
    }

    private int Length
    {
        get
        {
            if (Runs.Count == 0)
            {
                throw new ArgumentException($"run group '{Name}' has no runs.");
            }

            var n = Runs[0].Count;
            if (Runs.Any(r => r.Count != n))
            {
                throw new ArgumentException($"run group '{Name}': every run must have {n} values, but lengths are {string.Join(", ", Runs.Select(r => r.Count))}.");
            }

            return n;
        }
    }
}

public static partial class Plot
{
    /// <summary>Mean curves with a shaded band of ± one standard deviation over the runs of each group.</summary>
    public static GenericChart MeanBands(IEnumerable<RunGroup> groups, string title, string xTitle, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var traces = new List<Trace>();
        var k = 0;
        foreach (var group in groups)
        {
            var color = group.Color ?? Palette.Sequence[k++ % Palette.Sequence.Count];
            var mean = group.Mean();
            var sd = group.StandardDeviation();
            var x = group.X?.ToArray() ?? Enumerable.Range(0, mean.Length).Select(i => (double)i).ToArray();
            // The band is one closed polygon: upper edge left to right, lower edge back.
            var bandX = x.Concat(x.Reverse()).ToArray();
            var bandY = mean.Zip(sd, (m, s) => m + s).Concat(mean.Zip(sd, (m, s) => m - s).Reverse()).ToArray();
            traces.Add(Figure.Trace("scatter", ("name", $"{group.Name} ± 1 sd"), ("x", bandX), ("y", bandY), ("fill", "toself"),
                ("fillcolor", color), ("opacity", 0.2), ("line", Figure.Obj(("width", 0))), ("hoverinfo", "skip"), ("showlegend", false)));
            traces.Add(Figure.Trace("scatter", ("name", $"{group.Name} (mean of {group.Runs.Count})"), ("mode", "lines"), ("x", x), ("y", mean),
                ("line", Figure.Obj(("color", color), ("width", 2)))));
        }

        return Figure.Chart(traces, title, xTitle, yTitle);
    }
}
