using Descent.Optimizers;
using Descent.Schedules;

namespace Descent.Landscapes;

/// <summary>A recorded walk on a surface: the points (start included), losses, gradient norms and learning rates.</summary>
/// <param name="Name">A legend name, e.g. "SGD, η=0.1".</param>
/// <param name="Xs">x after each step; Xs[0] is the start.</param>
/// <param name="Ys">y after each step; Ys[0] is the start.</param>
/// <param name="Losses">L at each point.</param>
/// <param name="GradientNorms">‖∇L‖ at each point where a step was taken.</param>
/// <param name="LearningRates">η used by each step.</param>
/// <param name="DivergedAtStep">The 1-based step at which a value went non-finite or beyond 1e12, or null.</param>
public sealed record Trajectory(
    string Name, double[] Xs, double[] Ys, double[] Losses, double[] GradientNorms, double[] LearningRates, int? DivergedAtStep)
{
    /// <summary>True when the run blew up.</summary>
    public bool Diverged => DivergedAtStep is not null;

    /// <summary>The number of steps taken.</summary>
    public int Steps => Xs.Length - 1;

    /// <summary>The last loss.</summary>
    public double FinalLoss => Losses[^1];

    /// <summary>The last point.</summary>
    public (double X, double Y) Final => (Xs[^1], Ys[^1]);

    /// <summary>The run cut after its first <paramref name="steps"/> steps (for pictures of the start of a long run).</summary>
    public Trajectory Take(int steps)
    {
        var n = Math.Clamp(steps, 0, Steps) + 1;
        return this with
        {
            Xs = Xs[..n],
            Ys = Ys[..n],
            Losses = Losses[..n],
            GradientNorms = GradientNorms[..Math.Min(n - 1, GradientNorms.Length)],
            LearningRates = LearningRates[..Math.Min(n - 1, LearningRates.Length)],
            DivergedAtStep = DivergedAtStep <= n - 1 ? DivergedAtStep : null,
        };
    }

    /// <summary>The first step after which the loss stays ≤ <paramref name="tolerance"/>, or null if it never does.</summary>
    public int? StepsToLoss(double tolerance)
    {
        for (var k = Losses.Length - 1; k >= 0; k--)
        {
            if (!(Losses[k] <= tolerance))
            {
                return k + 1 < Losses.Length ? k + 1 : null;
            }
        }

        return 0;
    }
}

/// <summary>Runs optimizers on landscapes.</summary>
public static class LandscapeRun
{
    /// <summary>Values beyond this count as diverged (plots cut there).</summary>
    public const double DivergenceThreshold = 1e12;

    /// <summary>
    /// Walks <paramref name="landscape"/> from <paramref name="start"/> for <paramref name="steps"/> steps with the
    /// optimizer <paramref name="makeOptimizer"/> builds over the 2-element parameter θ = (x, y).
    /// </summary>
    /// <param name="landscape">The surface.</param>
    /// <param name="makeOptimizer">Builds the optimizer, e.g. <c>p => new Sgd(p, 0.1)</c>.</param>
    /// <param name="steps">How many steps (≥ 0).</param>
    /// <param name="name">The legend name.</param>
    /// <param name="start">The start point (default: the surface's).</param>
    /// <param name="schedule">An optional learning-rate schedule.</param>
    public static Trajectory Run(
        this Landscape landscape, Func<Parameter[], IOptimizer> makeOptimizer, int steps, string name,
        (double X, double Y)? start = null, Schedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        ArgumentNullException.ThrowIfNull(makeOptimizer);
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must be ≥ 0, but was {steps}.");
        }

        var (x0, y0) = start ?? landscape.Start;
        var theta = new Parameter("θ", [x0, y0]);
        var optimizer = makeOptimizer([theta]);
        if (optimizer is OptimizerBase b)
        {
            b.AllowNonFiniteGradients = true;
        }

        var xs = new List<double> { x0 };
        var ys = new List<double> { y0 };
        var losses = new List<double> { landscape.Value(x0, y0) };
        var norms = new List<double>();
        var lrs = new List<double>();
        int? diverged = null;
        for (var t = 0; t < steps; t++)
        {
            if (schedule is not null)
            {
                optimizer.LearningRate = schedule(t);
            }

            var (gx, gy) = landscape.SampleGradient(theta.Value[0], theta.Value[1]);
            theta.Gradient[0] = gx;
            theta.Gradient[1] = gy;
            norms.Add(Math.Sqrt(gx * gx + gy * gy));
            lrs.Add(optimizer.LearningRate);
            optimizer.Step();
            var (x, y) = (theta.Value[0], theta.Value[1]);
            var loss = landscape.Value(x, y);
            xs.Add(x);
            ys.Add(y);
            losses.Add(loss);
            if (!double.IsFinite(loss) || Math.Abs(loss) > DivergenceThreshold || !double.IsFinite(x) || !double.IsFinite(y))
            {
                diverged = t + 1;
                break;
            }
        }

        return new Trajectory(name, xs.ToArray(), ys.ToArray(), losses.ToArray(), norms.ToArray(), lrs.ToArray(), diverged);
    }
}
