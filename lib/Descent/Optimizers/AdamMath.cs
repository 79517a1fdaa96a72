using Descent.Optimizers.Fast;

namespace Descent.Optimizers;

/// <summary>
/// The Adam update shared by <see cref="Adam"/> and <see cref="AdamW"/> (which decays θ first). <see cref="StepReference"/>
/// is the rule as a per-element loop; <see cref="Step"/> runs the same arithmetic fused and vectorised
/// (<see cref="FusedUpdates.Adam"/>), decaying θ in the same pass for AdamW.
/// </summary>
internal static class AdamMath
{
    /// <summary>1 − βᵗ, or 1 when bias correction is off.</summary>
    public static double Correction(bool on, double β, int t) => on && t > 0 ? 1 - Math.Pow(β, t) : 1.0;

    /// <summary>
    /// The fast path: θ ← θ·decay (AdamW, 1 for Adam), then the Adam update, in one pass. With
    /// <paramref name="skipNonFinite"/>, entries whose gradient is NaN or ±∞ keep θ and state; returns false if any did.
    /// </summary>
    public static bool Step(
        Parameter parameter, MomentState state, int t, double η, double β1, double β2, double ε, double l2, bool maximize, bool biasCorrection,
        double decay, bool skipNonFinite, int bits)
    {
        var bc1 = Correction(biasCorrection, β1, t);
        var sqrtBc2 = Math.Sqrt(Correction(biasCorrection, β2, t));
        return FusedUpdates.Adam(
            parameter.Value, parameter.Gradient, state.M, state.V, state.MaxV ?? default, decay, η / bc1, β1, β2, sqrtBc2, ε, l2, maximize ? -1.0 : 1.0,
            skipNonFinite, bits);
    }

    /// <summary>The update rule, one element at a time: the readable reference the fast path is tested against.</summary>
    public static void StepReference(
        Parameter parameter, MomentState state, int t, double η, double β1, double β2, double ε, double l2, bool maximize, bool biasCorrection)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        Span<double> m = state.M;
        Span<double> v = state.V;
        Span<double> vMax = state.MaxV ?? default;
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
            if (!vMax.IsEmpty)
            {
                vMax[i] = Math.Max(vMax[i], v[i]);
                vUsed = vMax[i];
            }

            // θ ← θ − η·m̂/(√v̂ + ε), written as torch does: (η/bc1)·m / (√v/√bc2 + ε).
            θ[i] -= stepSize * m[i] / (Math.Sqrt(vUsed) / sqrtBc2 + ε);
        }
    }
}
