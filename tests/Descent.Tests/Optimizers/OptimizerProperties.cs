using Descent.Optimizers;
using FsCheck.Xunit;

namespace Descent.Tests.Optimizers;

/// <summary>Properties over random parameters and gradients (inputs derived from FsCheck's seeds).</summary>
public class OptimizerProperties
{
    [Property(MaxTest = 60)]
    public bool Zero_learning_rate_never_moves(int seed)
    {
        var rng = new Random(seed);
        foreach (var name in AllOptimizers.Names)
        {
            var p = new Parameter("w", Enumerable.Range(0, 5).Select(_ => rng.NextDouble() * 4 - 2).ToArray());
            var start = (double[])p.Value.Clone();
            // AdamW included: its decay is η·wd, so zero η means no decay either.
            var optimizer = AllOptimizers.Create(name, [p], lr: 0.0);
            for (var t = 0; t < 5; t++)
            {
                for (var i = 0; i < p.Length; i++)
                {
                    p.Gradient[i] = rng.NextDouble() * 10 - 5;
                }

                optimizer.Step();
            }

            if (!p.Value.SequenceEqual(start))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool Adams_first_corrected_step_has_size_lr_per_coordinate(int seed)
    {
        var rng = new Random(seed);
        var lr = Math.Pow(10, -rng.Next(1, 5));
        var p = new Parameter("w", new double[6]);
        for (var i = 0; i < p.Length; i++)
        {
            // Any nonzero gradient, of any scale.
            p.Gradient[i] = (rng.NextDouble() + 0.01) * Math.Pow(10, rng.Next(-3, 4)) * (rng.Next(2) == 0 ? -1 : 1);
        }

        var adam = new Adam([p], learningRate: lr, epsilon: 1e-300);
        adam.Step();
        return p.Value.Zip(p.Gradient).All(t => Math.Abs(Math.Abs(t.First) - lr) <= 1e-12 * lr && Math.Sign(t.First) == -Math.Sign(t.Second));
    }

    [Property(MaxTest = 100)]
    public bool Gradient_descent_on_a_bowl_below_two_over_L_decreases_the_loss_monotonically(int seed)
    {
        var rng = new Random(seed);
        var curvatures = Enumerable.Range(0, 4).Select(_ => 0.1 + rng.NextDouble() * 10).ToArray();
        var l = curvatures.Max();
        var lr = 2 / l * (0.01 + 0.98 * rng.NextDouble());
        var p = new Parameter("x", curvatures.Select(_ => rng.NextDouble() * 10 - 5).ToArray());
        var sgd = new Sgd([p], lr);
        double Loss() => 0.5 * curvatures.Select((c, i) => c * p.Value[i] * p.Value[i]).Sum();
        var previous = Loss();
        for (var t = 0; t < 50; t++)
        {
            for (var i = 0; i < p.Length; i++)
            {
                p.Gradient[i] = curvatures[i] * p.Value[i];
            }

            sgd.Step();
            var loss = Loss();
            if (loss > previous)
            {
                return false;
            }

            previous = loss;
        }

        return true;
    }
}
