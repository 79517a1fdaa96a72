using Descent.Data;
using Descent.Models;
using MathNet.Numerics.LinearAlgebra;

namespace Descent.Tests.Models;

/// <summary>The linear models read X's column-major array directly; the numbers must equal the indexer-based loops bit for bit.</summary>
public class LinearModelBitsTests
{
    [Fact]
    public void Linear_regression_gradient_equals_the_indexer_loop()
    {
        var (x, y) = Data(37, 5, seed: 1);
        var model = new LinearRegression(5);
        for (var j = 0; j < 5; j++)
        {
            model.Parameters[0].Value[j] = 0.1 * (j - 2);
        }

        model.Parameters[1].Value[0] = 0.3;
        var data = new Dataset(x, targets: y);
        var loss = model.LossAndGradient(data);
        var (w, b, n) = (model.Parameters[0].Value, model.Parameters[1].Value[0], x.RowCount);
        var expectedLoss = 0.0;
        var expected = new double[5];
        for (var i = 0; i < n; i++)
        {
            var s = b;
            for (var j = 0; j < 5; j++)
            {
                s += x[i, j] * w[j];
            }

            var r = s - y[i];
            expectedLoss += r * r / n;
            for (var j = 0; j < 5; j++)
            {
                expected[j] += 2 * r * x[i, j] / n;
            }
        }

        Assert.Equal(expectedLoss, loss);
        Assert.Equal(expected, model.Parameters[0].Gradient);
    }

    [Fact]
    public void Logistic_regression_gradient_equals_the_indexer_loop()
    {
        var (x, y) = Data(41, 4, seed: 2);
        var labels = y.Select(v => v > 0 ? 1 : 0).ToArray();
        var model = new LogisticRegression(4);
        for (var j = 0; j < 4; j++)
        {
            model.Parameters[0].Value[j] = 0.2 * (j - 1);
        }

        var data = new Dataset(x, labels);
        model.LossAndGradient(data);
        var (w, n) = (model.Parameters[0].Value, x.RowCount);
        var expected = new double[4];
        for (var i = 0; i < n; i++)
        {
            var z = model.Parameters[1].Value[0];
            for (var j = 0; j < 4; j++)
            {
                z += x[i, j] * w[j];
            }

            var r = ((1 / (1 + Math.Exp(-z))) - labels[i]) / n;
            for (var j = 0; j < 4; j++)
            {
                expected[j] += r * x[i, j];
            }
        }

        Assert.Equal(expected, model.Parameters[0].Gradient);
    }

    private static (Matrix<double> X, double[] Y) Data(int n, int m, int seed)
    {
        var rng = new Random(seed);
        var x = Matrix<double>.Build.Dense(n, m, (_, _) => (rng.NextDouble() * 4) - 2);
        var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        return (x, y);
    }
}
