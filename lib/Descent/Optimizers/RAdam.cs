namespace Descent.Optimizers;

/// <summary>
/// RAdam (rectified Adam), as torch.optim.RAdam: momentum SGD until the variance of the adaptive rate is tractable,
/// then Adam scaled by a rectification factor r.
/// <code>
/// m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   m̂ = m/(1 − β₁ᵗ)
/// ρ∞ = 2/(1 − β₂) − 1,   ρ_t = ρ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)
/// ρ_t &gt; 5:  r = √[(ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t)],  θ ← θ − η·m̂·r·√(1 − β₂ᵗ)/(√v + ε)
/// otherwise: θ ← θ − η·m̂
/// </code>
/// With β₂ = 0.999 the first rectified step is t = 6.
/// </summary>
public sealed class RAdam : AdamFamily
{
    /// <summary>Creates RAdam over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0, added to √v (uncorrected), as torch's code does.</param>
    /// <param name="weightDecay">L2 coefficient added to the gradient.</param>
    public RAdam(
        IEnumerable<Parameter> parameters,
        double learningRate = Defaults.RAdam.LearningRate,
        double beta1 = Defaults.RAdam.Beta1,
        double beta2 = Defaults.RAdam.Beta2,
        double epsilon = Defaults.RAdam.Epsilon,
        double weightDecay = Defaults.RAdam.WeightDecay)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>ρ_t, the length of the approximated simple moving average at step <paramref name="t"/>.</summary>
    public double Rho(int t)
    {
        var ρInf = 2 / (1 - Beta2) - 1;
        var β2t = Math.Pow(Beta2, t);
        return ρInf - 2 * t * β2t / (1 - β2t);
    }

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        Span<double> m = State(index).M;
        Span<double> v = State(index).V;
        var bc1 = 1 - Math.Pow(Beta1, t);
        var bc2 = 1 - Math.Pow(Beta2, t);
        var ρInf = 2 / (1 - Beta2) - 1;
        var ρt = Rho(t);
        var rectified = ρt > 5;
        var r = rectified ? Math.Sqrt((ρt - 4) * (ρt - 2) * ρInf / ((ρInf - 4) * (ρInf - 2) * ρt)) : 0;
        var η = LearningRate;
        for (var i = 0; i < θ.Length; i++)
        {
            var g = grad[i] + WeightDecay * θ[i];
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            var mHat = m[i] / bc1;
            if (rectified)
            {
                var adaptive = Math.Sqrt(bc2) / (Math.Sqrt(v[i]) + Epsilon);
                θ[i] -= mHat * η * adaptive * r;
            }
            else
            {
                θ[i] -= mHat * η;
            }
        }
    }
}
