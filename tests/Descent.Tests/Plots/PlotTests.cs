using Descent.Landscapes;
using Descent.Optimizers;
using Descent.Plots;
using Plotly.NET;

namespace Descent.Tests.Plots;

public class PlotTests
{
    [Fact]
    public void Loss_curves_carry_names_colours_and_cut_diverged_runs_with_a_marker()
    {
        var chart = Plot.LossCurves(
            [new Series("SGD, η=0.5", [1, 2, 40, double.PositiveInfinity, double.NaN], Palette.For("SGD")), new Series("SGD, η=0.01", [1, 0.5, 0.2])],
            "Loss", "epoch", "loss");
        var json = GenericChart.toJson(chart);
        Assert.Contains("\"name\":\"SGD, η=0.5\"", json);
        Assert.Contains(Palette.Sgd, json);
        Assert.Contains("✕ diverged at step 3", json);
        Assert.DoesNotContain("Infinity", json);
        Assert.Contains("\"text\":\"Loss\"", json);
        Assert.Contains("\"text\":\"epoch\"", json);
    }

    [Fact]
    public void Cut_at_divergence_keeps_the_finite_prefix()
    {
        var (x, y, at) = Plot.CutAtDivergence(new Series("s", [1, 2, 1e13, 4]));
        Assert.Equal([0.0, 1.0], x);
        Assert.Equal([1.0, 2.0], y);
        Assert.Equal(2, at);
    }

    [Fact]
    public void Trajectory_slider_has_one_step_per_run_each_showing_its_trace()
    {
        var ravine = Quadratic.Ravine(10);
        var runs = new[] { 0.01, 0.1, 0.19 }.Select(lr => ravine.Run(p => new Sgd(p, lr), 30, $"η={lr}")).ToArray();
        var chart = Plot.TrajectorySlider(ravine, runs, ["0.01", "0.1", "0.19"], "Ravine");
        var json = GenericChart.toJson(chart);
        Assert.Contains("\"sliders\"", json);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(json, "\"method\":\"restyle\"").Count);
        Assert.Contains("\"type\":\"contour\"", json);
        Assert.Throws<ArgumentException>(() => Plot.TrajectorySlider(ravine, runs, ["a"], "x"));
    }

    [Fact]
    public void Chart_renders_to_html_with_plotly_newPlot()
    {
        var html = GenericChart.toChartHTML(Plot.Heatmap([[1.0, 2], [3, double.NaN]], ["a", "b"], ["c", "d"], "H", "x", "y"));
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("diverged", html);
    }

    [Fact]
    public void Exam_colours_are_fixed()
    {
        Assert.Equal(("#1f77b4", "dash"), Palette.ForExamLearningRate(0.001));
        Assert.Throws<ArgumentOutOfRangeException>(() => Palette.ForExamLearningRate(0.3));
    }
}

public class AnimationTests
{
    [Fact]
    public void Race_has_a_frame_per_stride_a_play_button_and_a_slider()
    {
        var ravine = Quadratic.Ravine(10);
        var runs = new[] { ravine.Run(p => new Sgd(p, 0.15), 40, "SGD"), ravine.Run(p => new Sgd(p, 0.05, momentum: 0.9), 40, "Momentum") };
        var figure = Plot.Race(ravine, runs, "race", [Palette.Sgd, Palette.Momentum], stride: 2);
        Assert.Equal(21, figure.FrameCount);
        var json = figure.ToJson();
        Assert.Contains("\"updatemenus\"", json);
        Assert.Contains("play", json);
        Assert.Contains("\"sliders\"", json);
        Assert.Contains("\"name\":\"Momentum\"", json);
        Assert.Contains("Plotly.addFrames", figure.ToHtml());
        Assert.Throws<ArgumentException>(() => Plot.Race(ravine, runs, "x", [Palette.Sgd]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plot.Race(ravine, runs, "x", stride: 0));
    }

    [Fact]
    public void A_frame_draws_the_path_through_every_stride_th_point()
    {
        var ravine = Quadratic.Ravine(10);
        var run = ravine.Run(p => new Sgd(p, 0.05), 1000, "SGD");
        var figure = System.Text.Json.Nodes.JsonNode.Parse(Plot.Race(ravine, [run], "race", stride: 100).ToJson())!;
        var last = figure["frames"]![10]!["data"]![0]!;
        Assert.Equal(11, last["x"]!.AsArray().Count);
        Assert.Equal(run.Xs[500], (double)last["x"]![5]!, 5);
    }
}
