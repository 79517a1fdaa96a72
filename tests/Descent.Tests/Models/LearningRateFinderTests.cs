using Descent.Data;
using Descent.Models;
using Descent.Optimizers;
using Descent.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Descent.Tests.Models;

public class LearningRateFinderTests
{
    private static Dataset Line(int n)
    {
        var rng = new Random(3);
        var x = Matrix<double>.Build.Dense(n, 2, (_, _) => rng.NextDouble() * 2 - 1);
        return new Dataset(x, targets: Enumerable.Range(0, n).Select(i => 3 * x[i, 0] - x[i, 1] + 0.5).ToArray());
    }

    [Fact]
    public void The_sweep_grows_geometrically_and_stops_when_the_loss_blows_up()
    {
        var data = Line(64);
        var model = new LinearRegression(2);
        var sweep = LearningRateFinder.RangeTest(model, new Sgd(model.Parameters, 1), data, batchSize: 8, steps: 200, start: 1e-4, end: 100);
        Assert.Equal(1e-4, sweep.LearningRates[0], 1e-18);
        var ratio = sweep.LearningRates[1] / sweep.LearningRates[0];
        Assert.Equal(Math.Pow(1e6, 1.0 / 199), ratio, 1e-12);
        // A quadratic diverges for η > 2/λmax, far below 100: the sweep stops early.
        Assert.True(sweep.StoppedEarly);
        Assert.True(sweep.LearningRates.Length < 200);
        Assert.True(sweep.Steepest <= sweep.MinimumLossRate);
        Assert.Equal(sweep.MinimumLossRate / 10, sweep.MinimumOverTen, 1e-15);
    }

    [Fact]
    public void The_smoothed_loss_is_a_bias_corrected_moving_average()
    {
        var data = Line(32);
        var model = new LinearRegression(2);
        var sweep = LearningRateFinder.RangeTest(model, new Sgd(model.Parameters, 1), data, batchSize: 32, steps: 5, start: 1e-6, end: 1e-5, smoothing: 0.5);
        Assert.Equal(sweep.Losses[0], sweep.SmoothedLosses[0], 1e-15);
        var average = 0.5 * (0.5 * sweep.Losses[0]) + 0.5 * sweep.Losses[1];
        Assert.Equal(average / (1 - 0.25), sweep.SmoothedLosses[1], 1e-15);
    }

    [Fact]
    public void Bad_sweeps_are_rejected_with_the_values()
    {
        var data = Line(16);
        var model = new LinearRegression(2);
        var sgd = new Sgd(model.Parameters, 1);
        Assert.Contains("start = 1 and end = 0.1", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateFinder.RangeTest(model, sgd, data, 4, start: 1, end: 0.1)).Message);
        Assert.Contains("smoothing must be in [0, 1), but was 1", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateFinder.RangeTest(model, sgd, data, 4, smoothing: 1)).Message);
        Assert.Contains("at least 3 steps, but has 1", Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateFinder.RangeTest(model, sgd, data, 16)).Message);
    }
}
