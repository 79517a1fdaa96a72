using Descent.Data;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Descent.Models;

/// <summary>
/// The shape of the loss around a trained model: snapshots of its parameters, the loss along a straight line between
/// two parameter vectors (Goodfellow et al. 2015), and sharpness — the top Hessian eigenvalue and the loss increase under
/// random perturbations (Keskar et al. 2017).
/// </summary>
public static class LossGeometry
{
    /// <summary>A copy of every parameter buffer's values.</summary>
    public static double[][] Snapshot(this IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Parameters.Select(p => (double[])p.Value.Clone()).ToArray();
    }

    /// <summary>Writes <paramref name="values"/> (from <see cref="Snapshot"/>) back into the model's parameters.</summary>
    public static void Restore(this IModel model, IReadOnlyList<double[]> values)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckShape(model, values, nameof(values));
        for (var k = 0; k < values.Count; k++)
        {
            values[k].CopyTo(model.Parameters[k].Value, 0);
        }
    }

    /// <summary>The Euclidean distance between two snapshots.</summary>
    public static double Distance(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b) =>
        Math.Sqrt(a.Zip(b).Sum(pair => pair.First.Zip(pair.Second).Sum(v => (v.First - v.Second) * (v.First - v.Second))));

    /// <summary>
    /// The loss at θ(α) = (1 − α)·<paramref name="from"/> + α·<paramref name="to"/> for each α; the model's parameters are
    /// restored afterwards.
    /// </summary>
    public static double[] LossAlong(this IModel model, Dataset data, IReadOnlyList<double[]> from, IReadOnlyList<double[]> to, IReadOnlyList<double> alphas)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(alphas);
        CheckShape(model, from, nameof(from));
        CheckShape(model, to, nameof(to));
        var saved = model.Snapshot();
        try
        {
            return alphas.Select(alpha =>
            {
                for (var k = 0; k < from.Count; k++)
                {
                    var θ = model.Parameters[k].Value;
                    for (var i = 0; i < θ.Length; i++)
                    {
                        θ[i] = (1 - alpha) * from[k][i] + alpha * to[k][i];
                    }
                }

                return model.Loss(data);
            }).ToArray();
        }
        finally
        {
            model.Restore(saved);
        }
    }

    /// <summary>
    /// λmax, the largest eigenvalue of the loss's Hessian at the current parameters, by power iteration on Hessian-vector
    /// products Hv ≈ (∇L(θ + h·v) − ∇L(θ − h·v)) / (2h) over the whole of <paramref name="data"/>.
    /// </summary>
    /// <param name="model">The model, at the point of interest (restored afterwards; gradients are overwritten).</param>
    /// <param name="data">The data the loss is measured on.</param>
    /// <param name="iterations">Power-iteration steps.</param>
    /// <param name="seed">Seed of the random start vector.</param>
    /// <param name="h">Finite-difference step along the unit vector v.</param>
    /// <returns>The Rayleigh quotient vᵀHv of the last iterate (the largest eigenvalue in absolute value, with its sign).</returns>
    public static double TopHessianEigenvalue(this IModel model, Dataset data, int iterations = 30, int seed = 0, double h = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (iterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"iterations must be ≥ 1, but was {iterations}.");
        }

        if (!(h > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(h), h, $"h must be > 0, but was {h}.");
        }

        var saved = model.Snapshot();
        try
        {
            var v = Normalised(RandomDirection(saved, new Xoshiro256StarStar(seed)));
            var λ = 0.0;
            for (var it = 0; it < iterations; it++)
            {
                var hv = HessianTimes(model, data, saved, v, h);
                λ = Dot(v, hv);
                v = Normalised(hv);
            }

            return λ;
        }
        finally
        {
            model.Restore(saved);
        }
    }

    /// <summary>
    /// The mean increase of the loss when the parameters are moved a distance <paramref name="radius"/> in
    /// <paramref name="samples"/> random directions (uniform on the sphere); the parameters are restored afterwards.
    /// </summary>
    public static double PerturbedLossIncrease(this IModel model, Dataset data, double radius, int samples = 20, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(radius > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, $"radius must be > 0, but was {radius}.");
        }

        if (samples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"samples must be ≥ 1, but was {samples}.");
        }

        var saved = model.Snapshot();
        var random = new Xoshiro256StarStar(seed);
        try
        {
            var baseLoss = model.Loss(data);
            var total = 0.0;
            for (var s = 0; s < samples; s++)
            {
                var u = Normalised(RandomDirection(saved, random));
                model.Restore(Add(saved, u, radius));
                total += model.Loss(data) - baseLoss;
            }

            return total / samples;
        }
        finally
        {
            model.Restore(saved);
        }
    }

    private static double[][] HessianTimes(IModel model, Dataset data, double[][] θ, double[][] v, double h)
    {
        model.Restore(Add(θ, v, h));
        model.LossAndGradient(data);
        var plus = model.Parameters.Select(p => (double[])p.Gradient.Clone()).ToArray();
        model.Restore(Add(θ, v, -h));
        model.LossAndGradient(data);
        return plus.Select((g, k) => g.Select((x, i) => (x - model.Parameters[k].Gradient[i]) / (2 * h)).ToArray()).ToArray();
    }

    private static double[][] RandomDirection(double[][] shape, Random random)
    {
        var normal = new Normal(0, 1, random);
        return shape.Select(b => b.Select(_ => normal.Sample()).ToArray()).ToArray();
    }

    private static double[][] Add(double[][] θ, double[][] v, double scale) =>
        θ.Select((b, k) => b.Select((x, i) => x + scale * v[k][i]).ToArray()).ToArray();

    private static double Dot(double[][] a, double[][] b) => a.Zip(b).Sum(p => p.First.Zip(p.Second).Sum(x => x.First * x.Second));

    private static double[][] Normalised(double[][] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        return v.Select(b => b.Select(x => x / norm).ToArray()).ToArray();
    }

    private static void CheckShape(IModel model, IReadOnlyList<double[]> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var ps = model.Parameters;
        if (values.Count != ps.Count || values.Where((b, k) => b.Length != ps[k].Length).Any())
        {
            throw new ArgumentException(
                $"{name} must have the model's shape ({string.Join(", ", ps.Select(p => $"{p.Name}: {p.Length}"))}), but has " +
                $"{string.Join(", ", values.Select(b => b.Length))}.", name);
        }
    }
}
