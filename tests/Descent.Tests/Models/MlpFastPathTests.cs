using Descent.Data;
using Descent.Models;
using Descent.Optimizers;
using Descent.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Descent.Tests.Models;

/// <summary>
/// <see cref="Mlp"/> computes its products with its own loops into reused buffers; it must give the same bits as the
/// MathNet matrix products it replaced (<see cref="MathNetMlp"/>), so every chapter's training curve is unchanged.
/// </summary>
public class MlpFastPathTests
{
    public static TheoryData<int[], Activation> Shapes() => new()
    {
        { [64, 64, 10], Activation.Relu },
        { [64, 10], Activation.Relu },
        { [64, 32, 16, 10], Activation.Tanh },
        { [5, 7, 3], Activation.Relu },
        { [3, 1, 2], Activation.Tanh },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Loss_gradient_probabilities_and_predictions_equal_the_MathNet_products_bit_for_bit(int[] sizes, Activation activation)
    {
        var data = RandomData(301, sizes[0], sizes[^1], seed: sizes.Sum());
        var fast = new Mlp(sizes, activation, seed: 3);
        var reference = new MathNetMlp(sizes, activation, seed: 3);
        foreach (var rows in new[] { 1, 3, 5, 16, 17, 32, 33, 301 })
        {
            var batch = data.Subset(Enumerable.Range(0, rows).Select(i => (i * 7) % data.Count).ToArray());
            Assert.Equal(Bits(reference.LossAndGradient(batch)), Bits(fast.LossAndGradient(batch)));
            for (var k = 0; k < fast.Parameters.Count; k++)
            {
                Assert.Equal(reference.Parameters[k].Gradient.Select(Bits), fast.Parameters[k].Gradient.Select(Bits));
            }

            Assert.Equal(Bits(reference.Loss(batch)), Bits(fast.Loss(batch)));
            Assert.Equal(reference.Accuracy(batch), fast.Accuracy(batch));
            Assert.Equal(reference.Predict(batch.Features), fast.Predict(batch.Features));
            Assert.Equal(
                reference.Probabilities(batch.Features).ToColumnMajorArray().Select(Bits),
                fast.Probabilities(batch.Features).ToColumnMajorArray().Select(Bits));
        }
    }

    [Theory]
    [InlineData("Adam")]
    [InlineData("SGD")]
    public void A_training_run_on_the_digits_follows_the_same_trajectory_bit_for_bit(string optimizer)
    {
        var (train, test) = Datasets.Digits().Split(0.25, seed: 0);
        (train, test) = Standardizer.FitTransform(train, test);
        var fast = new Mlp([64, 64, 10], seed: 1);
        var reference = new MathNetMlp([64, 64, 10], seed: 1);
        IOptimizer Make(IReadOnlyList<Parameter> p) => optimizer == "Adam" ? new Adam(p, 1e-3) : new Sgd(p, 0.1, momentum: 0.9);
        var options = new TrainingOptions(3, 32, Seed: 4) { Validation = test };
        var a = Trainer.Train(reference, Make(reference.Parameters), train, options);
        var b = Trainer.Train(fast, Make(fast.Parameters), train, options);
        Assert.Equal(a.StepLosses.Select(Bits), b.StepLosses.Select(Bits));
        Assert.Equal(a.Epochs, b.Epochs);
        Assert.Equal(reference.Parameters.SelectMany(p => p.Value).Select(Bits), fast.Parameters.SelectMany(p => p.Value).Select(Bits));
    }

    [Fact]
    public void A_training_step_allocates_no_matrix()
    {
        var data = RandomData(32, 64, 10, seed: 5);
        var model = new Mlp([64, 64, 10]);
        var optimizer = new Adam(model.Parameters);
        model.LossAndGradient(data);
        optimizer.Step();
        SteadyStateAllocation.AssertNone(() =>
        {
            model.LossAndGradient(data);
            optimizer.Step();
        }, "a training step (forward, backward, Adam)");
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    private static Dataset RandomData(int n, int features, int classes, int seed)
    {
        var rng = new Random(seed);
        var x = Matrix<double>.Build.Dense(n, features, (_, _) => (rng.NextDouble() * 4) - 2);
        var y = Enumerable.Range(0, n).Select(i => i < classes ? i : rng.Next(classes)).ToArray();
        return new Dataset(x, y);
    }
}
