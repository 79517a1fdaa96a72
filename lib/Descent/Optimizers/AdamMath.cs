namespace Descent.Optimizers;

/// <summary>The Adam update shared by <see cref="Adam"/> and <see cref="AdamW"/> (which decays θ first).</summary>
internal static class AdamMath
{
    /// <summary>1 − βᵗ, or 1 when bias correction is off.</summary>
    public static double Correction(bool on, double β, int t) => on && t > 0 ? 1 - Math.Pow(β, t) : 1.0;

    public static void Step(
        Parameter parameter, MomentState state, int t, double η, double β1, double β2, double ε, double l2, bool maximize, bool biasCorrection)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        var m = state.M;
        var v = state.V;
        var vMax = state.MaxV;
        var bc1 = Correction(biasCorrection, β1, t);
        var sqrtBc2 = Math.Sqrt(Correction(biasCorrection, β2, t));
        var stepSize = η / bc1;
        var sign = maximize ? -1.0 : 1.0;
        for (var i = 0; i < θ.Length; i++)
        {
            var g = sign * grad[i] + l2 * θ[i];
            m[i] = β1 * m[i] + (1 - β1) * g;
            v[i] = β2 * v[i] + (1 - β2) * g * g;
            var vUsed = v[i];
            if (vMax is not null)
            {
                vMax[i] = Math.Max(vMax[i], v[i]);
                vUsed = vMax[i];
            }

            // θ ← θ − η·m̂/(√v̂ + ε), written as torch does: (η/bc1)·m / (√v/√bc2 + ε).
            θ[i] -= stepSize * m[i] / (Math.Sqrt(vUsed) / sqrtBc2 + ε);
        }
    }
}
