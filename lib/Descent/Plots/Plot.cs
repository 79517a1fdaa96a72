using Descent.Landscapes;
using Descent.Schedules;
using Plotly.NET;

namespace Descent.Plots;

/// <summary>The course's charts, so notebook cells stay one line. Every chart has a title, axis titles and legend names.</summary>
public static partial class Plot
{
    /// <summary>Values beyond this (or non-finite) count as diverged: the curve is cut there and marked.</summary>
    public const double DivergenceThreshold = 1e12;

    /// <summary>
    /// Loss (or any metric) curves. A diverged series is cut at its first non-finite or huge value and marked with
    /// "✕ diverged at step k", never plotted as garbage.
    /// </summary>
    public static GenericChart LossCurves(IEnumerable<Series> series, string title, string xTitle = "step", string yTitle = "loss", bool logY = false, bool logX = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var traces = new List<Trace>();
        var i = 0;
        foreach (var s in series)
        {
            var color = s.Color ?? Palette.Sequence[i++ % Palette.Sequence.Count];
            var (xs, ys, divergedAt) = CutAtDivergence(s);
            traces.Add(Figure.Trace("scatter", ("name", s.Name), ("mode", "lines"), ("x", xs), ("y", ys),
                ("line", Figure.Obj(("color", color), ("dash", s.Dash), ("width", 2)))));
            if (divergedAt is { } k && xs.Length > 0)
            {
                traces.Add(Figure.Trace("scatter", ("name", $"{s.Name}: diverged"), ("mode", "markers+text"), ("showlegend", false),
                    ("x", new[] { xs[^1] }), ("y", new[] { ys[^1] }), ("text", new[] { $"✕ diverged at step {k}" }),
                    ("textposition", "top right"), ("marker", Figure.Obj(("symbol", "x"), ("size", 12), ("color", color)))));
            }
        }

        return Figure.Chart(traces, title, xTitle, yTitle, logX: logX, logY: logY);
    }

    /// <summary>The part of a series before it diverges, and the 1-based position of the first bad value.</summary>
    public static (double[] X, double[] Y, int? DivergedAt) CutAtDivergence(Series series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var n = series.Y.Count;
        var cut = n;
        for (var k = 0; k < n; k++)
        {
            if (!double.IsFinite(series.Y[k]) || Math.Abs(series.Y[k]) > DivergenceThreshold)
            {
                cut = k;
                break;
            }
        }

        var xs = Enumerable.Range(0, cut).Select(k => series.X?[k] ?? k).ToArray();
        var ys = series.Y.Take(cut).ToArray();
        return (xs, ys, cut < n ? cut : null);
    }

    /// <summary>Trajectories over the surface's contour lines (log-spaced levels), with the start and the minimum marked.</summary>
    public static GenericChart Trajectories(Landscape landscape, IEnumerable<Trajectory> runs, string title, IReadOnlyList<string>? colors = null)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        ArgumentNullException.ThrowIfNull(runs);
        var traces = new List<Trace> { Contour(landscape) };
        var i = 0;
        foreach (var run in runs)
        {
            var color = colors?[i] ?? Palette.Sequence[i % Palette.Sequence.Count];
            traces.Add(TrajectoryTrace(landscape, run, color, visible: true));
            i++;
        }

        traces.AddRange(Markers(landscape));
        return Figure.Chart(traces, title, "x", "y", width: 760, height: 560, extra: Window(landscape));
    }

    /// <summary>
    /// One chart with a slider: each slider position shows one trajectory (e.g. one learning rate) over the contours.
    /// </summary>
    public static GenericChart TrajectorySlider(Landscape landscape, IReadOnlyList<Trajectory> runs, IReadOnlyList<string> labels, string title, string sliderPrefix = "η = ")
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(labels);
        if (runs.Count == 0 || runs.Count != labels.Count)
        {
            throw new ArgumentException($"need one label per run, got {runs.Count} runs and {labels.Count} labels.", nameof(labels));
        }

        var traces = new List<Trace> { Contour(landscape) };
        traces.AddRange(Markers(landscape));
        var fixedCount = traces.Count;
        for (var i = 0; i < runs.Count; i++)
        {
            traces.Add(TrajectoryTrace(landscape, runs[i], Palette.Sequence[i % Palette.Sequence.Count], visible: i == 0));
        }

        var steps = labels.Select((label, i) => Figure.Obj(
            ("label", label),
            ("method", "restyle"),
            ("args", new object[]
            {
                Figure.Obj(("visible", Enumerable.Range(0, traces.Count).Select(t => t < fixedCount || t == fixedCount + i).ToArray())),
            }))).ToArray();
        var slider = Figure.Obj(("active", 0), ("steps", steps), ("currentvalue", Figure.Obj(("prefix", sliderPrefix))), ("pad", Figure.Obj(("t", 50))));
        return Figure.Chart(traces, title, "x", "y", width: 760, height: 620,
            extra: [.. Window(landscape), ("sliders", new object[] { slider })]);
    }

    /// <summary>Several schedules over <paramref name="steps"/> steps.</summary>
    public static GenericChart Schedules(IEnumerable<(string Name, Schedule Schedule)> schedules, int steps, string title, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        return LossCurves(schedules.Select(s => new Series(s.Name, s.Schedule.Values(steps))), title, "step", "learning rate η", logY);
    }

    /// <summary>A heat map with labelled axes; values are printed in the cells when <paramref name="showValues"/>.</summary>
    public static GenericChart Heatmap(
        IReadOnlyList<IReadOnlyList<double>> z, IReadOnlyList<string> xLabels, IReadOnlyList<string> yLabels, string title, string xTitle, string yTitle,
        bool showValues = true, string colorScale = "Viridis", bool reverseScale = false)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Count != yLabels.Count || z.Any(row => row.Count != xLabels.Count))
        {
            throw new ArgumentException($"z must have {yLabels.Count} rows of {xLabels.Count} values.", nameof(z));
        }

        var cells = z.Select(row => row.Select(v => double.IsFinite(v) ? (object)v : null).ToArray()).ToArray();
        var text = z.Select(row => row.Select(v => double.IsFinite(v) ? v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : "diverged").ToArray()).ToArray();
        var trace = Figure.Trace("heatmap", ("z", cells), ("x", xLabels.ToArray()), ("y", yLabels.ToArray()), ("colorscale", colorScale),
            ("reversescale", reverseScale), ("text", showValues ? text : null), ("texttemplate", showValues ? "%{text}" : null), ("hoverongaps", false));
        return Figure.Chart([trace], title, xTitle, yTitle, extra: [("xaxis", Figure.Obj(("title", Figure.Obj(("text", xTitle))), ("type", "category"))),
            ("yaxis", Figure.Obj(("title", Figure.Obj(("text", yTitle))), ("type", "category")))]);
    }

    /// <summary>A bar chart.</summary>
    public static GenericChart Bars(IReadOnlyList<string> labels, IReadOnlyList<double> values, string title, string yTitle, IReadOnlyList<string>? colors = null, bool logY = false)
    {
        var trace = Figure.Trace("bar", ("x", labels.ToArray()), ("y", values.ToArray()), ("marker", colors is null ? null : Figure.Obj(("color", colors.ToArray()))),
            ("text", values.Select(v => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)).ToArray()), ("textposition", "auto"));
        return Figure.Chart([trace], title, null, yTitle, logY: logY);
    }

    private static Trace Contour(Landscape landscape)
    {
        var (xs, ys, z) = landscape.Grid(90);
        var min = z.SelectMany(r => r).Min();
        // Log-spaced levels show both the floor of a ravine and its steep walls.
        var logZ = z.Select(r => r.Select(v => Math.Log10(v - min + 1e-3)).ToArray()).ToArray();
        return Figure.Trace("contour", ("name", $"log₁₀ L ({landscape.Name})"), ("x", xs), ("y", ys), ("z", logZ), ("showscale", false),
            ("colorscale", "Greys"), ("reversescale", true), ("opacity", 0.55), ("ncontours", 25), ("showlegend", false), ("hoverinfo", "skip"),
            ("contours", Figure.Obj(("coloring", "lines"))));
    }

    private static Trace TrajectoryTrace(Landscape landscape, Trajectory run, string color, bool visible)
    {
        var (x0, x1, y0, y1) = landscape.Window;
        var spanX = x1 - x0;
        var spanY = y1 - y0;
        // Clip the drawing to a generous box around the window so a diverging run does not flatten the picture.
        var n = run.Xs.Length;
        for (var k = 0; k < run.Xs.Length; k++)
        {
            if (!double.IsFinite(run.Xs[k]) || !double.IsFinite(run.Ys[k]) || Math.Abs(run.Xs[k] - (x0 + x1) / 2) > 3 * spanX || Math.Abs(run.Ys[k] - (y0 + y1) / 2) > 3 * spanY)
            {
                n = k;
                break;
            }
        }

        var name = run.Diverged ? $"{run.Name} (diverged at step {run.DivergedAtStep})" : run.Name;
        return Figure.Trace("scatter", ("name", name), ("mode", n <= 80 ? "lines+markers" : "lines"), ("x", run.Xs.Take(n).ToArray()), ("y", run.Ys.Take(n).ToArray()),
            ("line", Figure.Obj(("color", color), ("width", 2))), ("marker", Figure.Obj(("size", 4), ("color", color))), ("visible", visible));
    }

    private static IEnumerable<Trace> Markers(Landscape landscape)
    {
        if (landscape.Minimum is { } m)
        {
            yield return Figure.Trace("scatter", ("name", "minimum"), ("mode", "markers"), ("x", new[] { m.X }), ("y", new[] { m.Y }),
                ("marker", Figure.Obj(("symbol", "star"), ("size", 14), ("color", "gold"), ("line", Figure.Obj(("color", "black"), ("width", 1))))));
        }
    }

    private static (string, object?)[] Window(Landscape landscape)
    {
        var (x0, x1, y0, y1) = landscape.Window;
        return
        [
            ("xaxis", Figure.Obj(("title", Figure.Obj(("text", "x"))), ("range", new[] { x0, x1 }))),
            ("yaxis", Figure.Obj(("title", Figure.Obj(("text", "y"))), ("range", new[] { y0, y1 }))),
        ];
    }
}
