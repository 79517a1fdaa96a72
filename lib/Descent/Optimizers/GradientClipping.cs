namespace Descent.Optimizers;

/// <summary>Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_.</summary>
public static class GradientClipping
{
    /// <summary>The global L2 norm ‖g‖ = √(Σ over all buffers of Σ g²).</summary>
    public static double GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sum = 0.0;
        foreach (var p in parameters)
        {
            foreach (var g in p.Gradient)
            {
                sum += g * g;
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Rescales every gradient by maxNorm/(‖g‖ + 1e-6) when that is below 1, so the global norm is at most
    /// <paramref name="maxNorm"/>; the direction is kept. Returns ‖g‖ before clipping.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not a positive finite number.</exception>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        Guard.Positive(maxNorm, nameof(maxNorm));
        var total = GlobalNorm(parameters);
        var scale = maxNorm / (total + 1e-6);
        if (scale < 1)
        {
            foreach (var p in parameters)
            {
                var g = p.Gradient;
                for (var i = 0; i < g.Length; i++)
                {
                    g[i] *= scale;
                }
            }
        }

        return total;
    }

    /// <summary>Clamps every gradient entry to [−clipValue, clipValue]; the direction may change.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is not a positive finite number.</exception>
    public static void ClipByValue(IReadOnlyList<Parameter> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.Positive(clipValue, nameof(clipValue));
        foreach (var p in parameters)
        {
            var g = p.Gradient;
            for (var i = 0; i < g.Length; i++)
            {
                g[i] = Math.Clamp(g[i], -clipValue, clipValue);
            }
        }
    }
}
