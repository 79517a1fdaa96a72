using Descent.Data;
using Descent.Models;
using MathNet.Numerics.LinearAlgebra;

namespace Descent.Tests.Models;

/// <summary>Every model's backward pass against central finite differences.</summary>
public class GradientCheckTests
{
    private static Dataset Classification(int n, int d, int classes, int seed)
    {
        var rng = new Random(seed);
        var x = Matrix<double>.Build.Dense(n, d, (_, _) => rng.NextDouble() * 2 - 1);
        return new Dataset(x, Enumerable.Range(0, n).Select(i => i % classes).ToArray());
    }

    private static void AssertGradientsMatch(IModel model, Dataset data)
    {
        model.LossAndGradient(data);
        foreach (var p in model.Parameters)
        {
            var analytic = (double[])p.Gradient.Clone();
            for (var i = 0; i < p.Length; i++)
            {
                var keep = p.Value[i];
                const double h = 1e-5;
                p.Value[i] = keep + h;
                var up = model.Loss(data);
                p.Value[i] = keep - h;
                var down = model.Loss(data);
                p.Value[i] = keep;
                var numeric = (up - down) / (2 * h);
                var relative = Math.Abs(numeric - analytic[i]) / Math.Max(1e-8, Math.Abs(numeric) + Math.Abs(analytic[i]));
                Assert.True(relative < 1e-6 || Math.Abs(numeric - analytic[i]) < 1e-9,
                    $"{p.Name}[{i}]: analytic {analytic[i]:E6}, numeric {numeric:E6}");
            }
        }
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void Mlp_backward_matches_finite_differences(Activation activation)
    {
        AssertGradientsMatch(new Mlp([5, 7, 6, 3], activation, seed: 3), Classification(12, 5, 3, 1));
    }

    [Fact]
    public void Softmax_regression_backward_matches_finite_differences()
    {
        var model = new SoftmaxRegression(4, 3, seed: 1, zeroInit: false);
        AssertGradientsMatch(model, Classification(10, 4, 3, 2));
    }

    [Fact]
    public void Logistic_regression_backward_matches_finite_differences()
    {
        var model = new LogisticRegression(3);
        model.Parameters[0].Value[0] = 0.3;
        model.Parameters[0].Value[2] = -0.7;
        AssertGradientsMatch(model, Classification(9, 3, 2, 4));
    }

    [Fact]
    public void Linear_regression_backward_matches_finite_differences()
    {
        var (data, _, _) = Datasets.NoisyLinear(20, 3, 0.1, seed: 5);
        var model = new LinearRegression(3);
        model.Parameters[0].Value[1] = 0.5;
        AssertGradientsMatch(model, data);
    }

    [Fact]
    public void Model_rejects_data_of_the_wrong_shape()
    {
        var model = new Mlp([5, 3]);
        var ex = Assert.Throws<ArgumentException>(() => model.Loss(Classification(4, 6, 3, 0)));
        Assert.Contains("takes 5 features, but the data has 6", ex.Message);
        Assert.Throws<ArgumentException>(() => new Mlp([5]));
        Assert.Throws<ArgumentException>(() => new Mlp([5, 0, 3]));
    }
}
