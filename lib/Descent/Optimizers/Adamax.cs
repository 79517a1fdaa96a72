namespace Descent.Optimizers;

/// <summary>
/// Adamax, as torch.optim.Adamax: Adam with the infinity norm in place of the second moment.
/// <code>
/// g ← g + wd·θ
/// m ← β₁·m + (1 − β₁)·g
/// u ← max(β₂·u, |g| + ε)
/// θ ← θ − η/(1 − β₁ᵗ) · m/u
/// </code>
/// u is kept in <see cref="MomentState.V"/> of <see cref="AdamFamily.State"/>.
/// </summary>
public sealed class Adamax : AdamFamily
{
    /// <summary>Creates Adamax over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0, added to |g| inside the max.</param>
    /// <param name="weightDecay">L2 coefficient added to the gradient.</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public Adamax(
        IEnumerable<Parameter> parameters,
        double learningRate = Defaults.Adamax.LearningRate,
        double beta1 = Defaults.Adamax.Beta1,
        double beta2 = Defaults.Adamax.Beta2,
        double epsilon = Defaults.Adamax.Epsilon,
        double weightDecay = Defaults.Adamax.WeightDecay,
        bool maximize = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, maximize: maximize)
    {
    }

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        Span<double> m = State(index).M;
        Span<double> u = State(index).V;
        var stepSize = LearningRate / (1 - Math.Pow(Beta1, t));
        var sign = Maximize ? -1.0 : 1.0;
        for (var i = 0; i < θ.Length; i++)
        {
            var g = sign * grad[i] + WeightDecay * θ[i];
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            u[i] = Math.Max(Beta2 * u[i], Math.Abs(g) + Epsilon);
            θ[i] -= stepSize * m[i] / u[i];
        }
    }
}
