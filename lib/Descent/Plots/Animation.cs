using System.Globalization;
using System.Text.Json.Nodes;
using Descent.Landscapes;

namespace Descent.Plots;

/// <summary>
/// A plotly.js figure with animation frames, a play button and a frame slider. Plotly.NET charts carry no frames, so
/// this figure writes its own HTML; show it in a notebook with <c>HTML(figure.ToHtml())</c>.
/// </summary>
public sealed class AnimatedFigure
{
    private readonly JsonObject _figure;

    internal AnimatedFigure(JsonObject figure) => _figure = figure;

    /// <summary>The number of frames.</summary>
    public int FrameCount => _figure["frames"]!.AsArray().Count;

    /// <summary>The figure as plotly.js JSON: data, layout and frames.</summary>
    public string ToJson() => _figure.ToJsonString();

    /// <summary>
    /// A div and a script that draws the figure with plotly.js, loaded as every chart of the course loads it: the
    /// page's <c>Plotly</c> (the course site), else require.js (classic Notebook, JupyterLab), else the CDN once per page
    /// (VS Code).
    /// </summary>
    public string ToHtml()
    {
        var id = "descent-anim-" + Guid.NewGuid().ToString("N");
        var draw = $$"""
            function (Plotly) {
              var figure = {{ToJson()}};
              Plotly.newPlot('{{id}}', figure.data, figure.layout).then(function () { return Plotly.addFrames('{{id}}', figure.frames); });
            }
            """;
        return $$"""
            <div id="{{id}}" style="width:{{_figure["layout"]!["width"]}}px;height:{{_figure["layout"]!["height"]}}px;"></div>
            <script type="text/javascript">{{PlotlyLoader.Script(Globals.PLOTLYJS_VERSION, id, draw)}}</script>
            """;
    }
}

public static partial class Plot
{
    /// <summary>
    /// An animated race of trajectories over a surface's contours: frame k shows every run up to step k·stride (its path drawn through every stride-th point), with a
    /// play/pause button and a step slider.
    /// </summary>
    /// <param name="landscape">The surface.</param>
    /// <param name="runs">The trajectories (e.g. one per optimizer).</param>
    /// <param name="title">The chart title.</param>
    /// <param name="colors">One CSS colour per run, or null for the default sequence.</param>
    /// <param name="stride">Steps per frame (≥ 1).</param>
    /// <exception cref="ArgumentException">No runs, or a colour list of the wrong length.</exception>
    public static AnimatedFigure Race(Landscape landscape, IReadOnlyList<Trajectory> runs, string title, IReadOnlyList<string>? colors = null, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0 || (colors is not null && colors.Count != runs.Count))
        {
            throw new ArgumentException($"need at least one run and one colour per run, got {runs.Count} runs and {colors?.Count} colours.", nameof(runs));
        }

        if (stride < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be ≥ 1, but was {stride}.");
        }

        var (xs, ys, z) = landscape.Grid(80);
        var min = z.SelectMany(r => r).Min();
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "contour", ["x"] = Json(xs), ["y"] = Json(ys),
                ["z"] = new JsonArray(z.Select(row => (JsonNode)Json(row.Select(v => Math.Log10(v - min + 1e-3)).ToArray())).ToArray()),
                ["showscale"] = false, ["colorscale"] = "Greys", ["reversescale"] = true, ["opacity"] = 0.55, ["ncontours"] = 25,
                ["contours"] = new JsonObject { ["coloring"] = "lines" }, ["hoverinfo"] = "skip", ["showlegend"] = false,
            },
        };
        for (var i = 0; i < runs.Count; i++)
        {
            var color = colors?[i] ?? Palette.Sequence[i % Palette.Sequence.Count];
            data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "lines+markers",
                ["name"] = runs[i].Name,
                ["x"] = Json([runs[i].Xs[0]]),
                ["y"] = Json([runs[i].Ys[0]]),
                ["line"] = new JsonObject { ["color"] = color, ["width"] = 2 },
                ["marker"] = new JsonObject { ["size"] = 4, ["color"] = color },
            });
        }

        var longest = runs.Max(r => r.Xs.Length);
        var frames = new JsonArray();
        var steps = new JsonArray();
        var traceIndices = Json(Enumerable.Range(1, runs.Count).Select(i => (double)i).ToArray());
        for (var k = 0; k < longest; k += stride)
        {
            var name = k.ToString(CultureInfo.InvariantCulture);
            var frameData = new JsonArray();
            foreach (var run in runs)
            {
                // Drawing the path through every stride-th point keeps a frame as small as its step count ÷ stride.
                var shown = Enumerable.Range(0, Math.Min(k + 1, run.Xs.Length)).Where(i => i % stride == 0).ToArray();
                frameData.Add(new JsonObject { ["x"] = Json(Clip(shown.Select(i => run.Xs[i]))), ["y"] = Json(Clip(shown.Select(i => run.Ys[i]))) });
            }

            frames.Add(new JsonObject { ["name"] = name, ["data"] = frameData, ["traces"] = traceIndices.DeepClone() });
            steps.Add(new JsonObject
            {
                ["label"] = name,
                ["method"] = "animate",
                ["args"] = new JsonArray(new JsonArray(name), new JsonObject { ["mode"] = "immediate", ["frame"] = new JsonObject { ["duration"] = 0, ["redraw"] = true }, ["transition"] = new JsonObject { ["duration"] = 0 } }),
            });
        }

        var (x0, x1, y0, y1) = landscape.Window;
        var play = new JsonObject
        {
            ["type"] = "buttons",
            ["showactive"] = false,
            ["direction"] = "left",
            ["x"] = 0.1,
            ["y"] = 0,
            ["xanchor"] = "right",
            ["yanchor"] = "top",
            ["pad"] = new JsonObject { ["t"] = 60, ["r"] = 10 },
            ["buttons"] = new JsonArray(
                new JsonObject { ["label"] = "▶ play", ["method"] = "animate", ["args"] = new JsonArray(null, new JsonObject { ["fromcurrent"] = true, ["frame"] = new JsonObject { ["duration"] = 60, ["redraw"] = true }, ["transition"] = new JsonObject { ["duration"] = 0 } }) },
                new JsonObject { ["label"] = "❚❚ pause", ["method"] = "animate", ["args"] = new JsonArray(new JsonArray((JsonNode?)null), new JsonObject { ["mode"] = "immediate", ["frame"] = new JsonObject { ["duration"] = 0, ["redraw"] = true } }) }),
        };
        var layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["width"] = 760,
            ["height"] = 680,
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "x" }, ["range"] = Json([x0, x1]) },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "y" }, ["range"] = Json([y0, y1]) },
            ["updatemenus"] = new JsonArray(play),
            ["sliders"] = new JsonArray(new JsonObject { ["active"] = 0, ["steps"] = steps, ["x"] = 0.1, ["len"] = 0.9, ["y"] = 0, ["pad"] = new JsonObject { ["t"] = 50 }, ["currentvalue"] = new JsonObject { ["prefix"] = "step " } }),
        };
        return new AnimatedFigure(new JsonObject { ["data"] = data, ["layout"] = layout, ["frames"] = frames });
    }

    // Six significant digits are far below a pixel and keep the page small.
    private static JsonArray Json(IEnumerable<double> values) =>
        new(values.Select(v => (JsonNode?)(double.IsFinite(v) ? JsonValue.Create(double.Parse(v.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : null)).ToArray());

    private static IEnumerable<double> Clip(IEnumerable<double> values) =>
        values.Select(v => Math.Abs(v) > 1e6 ? double.NaN : v);
}
