using Descent.Data;
using Descent.Models;
using Descent.Plots;
using MathNet.Numerics.LinearAlgebra;

namespace Descent.Tests.Models;

public class LossGeometryTests
{
    private static Dataset Regression(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = Matrix<double>.Build.Dense(n, d, (_, _) => rng.NextDouble() * 2 - 1);
        return new Dataset(x, targets: Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray());
    }

    [Fact]
    public void Top_Hessian_eigenvalue_of_least_squares_matches_the_eigendecomposition()
    {
        // L = (1/n)·Σ(x·w + b − y)² has the constant Hessian (2/n)·[X 1]ᵀ[X 1].
        var data = Regression(30, 4, 1);
        var model = new LinearRegression(4);
        var design = data.Features.Append(Matrix<double>.Build.Dense(30, 1, 1.0));
        var expected = (design.TransposeThisAndMultiply(design) * (2.0 / 30)).Evd().EigenValues.Max(e => e.Real);
        Assert.Equal(expected, model.TopHessianEigenvalue(data, iterations: 200), 1e-6);
    }

    [Fact]
    public void Geometry_helpers_restore_the_parameters()
    {
        var data = Regression(20, 3, 2);
        var model = new LinearRegression(3);
        model.Parameters[0].Value[1] = 0.7;
        var before = model.Snapshot();
        model.TopHessianEigenvalue(data, iterations: 3);
        model.PerturbedLossIncrease(data, radius: 0.5, samples: 3);
        model.LossAlong(data, before, before.Select(b => b.Select(v => v + 1).ToArray()).ToArray(), [0, 0.5, 1]);
        Assert.Equal(0, LossGeometry.Distance(before, model.Snapshot()));
    }

    [Fact]
    public void Loss_along_a_line_starts_and_ends_at_the_endpoint_losses()
    {
        var data = new Dataset(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } }), [0, 1, 2]);
        var model = new Mlp([2, 4, 3], seed: 3);
        var a = model.Snapshot();
        var b = a.Select(buffer => buffer.Select(v => v * -0.5 + 0.1).ToArray()).ToArray();
        var lossA = model.Loss(data);
        model.Restore(b);
        var lossB = model.Loss(data);
        var along = model.LossAlong(data, a, b, [0, 1]);
        Assert.Equal(lossA, along[0], 1e-15);
        Assert.Equal(lossB, along[1], 1e-15);
    }

    [Fact]
    public void Perturbing_a_least_squares_minimum_raises_the_loss_by_the_curvature_along_the_direction()
    {
        // At the minimum of a quadratic, L(θ + r·u) − L(θ) = r²·uᵀHu/2, between r²λmin/2 and r²λmax/2.
        var data = Regression(40, 3, 4);
        var model = new LinearRegression(3);
        var design = data.Features.Append(Matrix<double>.Build.Dense(40, 1, 1.0));
        var solution = design.Solve(Vector<double>.Build.Dense(data.Targets));
        model.Restore([solution.Take(3).ToArray(), [solution[3]]]);
        var eigen = (design.TransposeThisAndMultiply(design) * (2.0 / 40)).Evd().EigenValues.Select(e => e.Real).ToArray();
        var increase = model.PerturbedLossIncrease(data, radius: 0.1, samples: 50);
        Assert.InRange(increase, 0.01 * eigen.Min() / 2 - 1e-12, 0.01 * eigen.Max() / 2 + 1e-12);
    }

    [Fact]
    public void Bad_arguments_name_the_parameter_and_the_value()
    {
        var model = new LinearRegression(2);
        var data = Regression(5, 2, 5);
        Assert.Contains("iterations must be ≥ 1, but was 0", Assert.Throws<ArgumentOutOfRangeException>(() => model.TopHessianEigenvalue(data, 0)).Message);
        Assert.Contains("radius must be > 0, but was -1", Assert.Throws<ArgumentOutOfRangeException>(() => model.PerturbedLossIncrease(data, -1)).Message);
        var ex = Assert.Throws<ArgumentException>(() => model.Restore([[1.0]]));
        Assert.Contains("w: 2, b: 1", ex.Message);
    }

    [Fact]
    public void Run_groups_give_the_mean_and_sample_standard_deviation_and_reject_ragged_runs()
    {
        var group = new RunGroup("g", [new double[] { 1, 2 }, new double[] { 3, 6 }]);
        Assert.Equal([2.0, 4.0], group.Mean());
        Assert.Equal([Math.Sqrt(2), Math.Sqrt(8)], group.StandardDeviation());
        var ragged = new RunGroup("ragged", [new double[] { 1, 2 }, new double[] { 3 }]);
        Assert.Contains("every run must have 2 values", Assert.Throws<ArgumentException>(() => ragged.Mean()).Message);
        var json = Plotly.NET.GenericChart.toChartHTML(Plot.MeanBands([group], "t", "epoch", "acc"));
        Assert.Contains("toself", json);
        Assert.Contains("g (mean of 2)", json);
    }
}
