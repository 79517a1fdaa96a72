namespace Descent.Optimizers;

/// <summary>
/// NAdam (Adam with Nesterov momentum), with the formula torch documents and uses from 2.0 on:
/// <code>
/// g ← g + wd·θ
/// μ_t = β₁·(1 − ½·0.96^(t·ψ)),   μ_{t+1} = β₁·(1 − ½·0.96^((t+1)·ψ)),   Π_t = Π_{t−1}·μ_t
/// m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   d = √(v/(1 − β₂ᵗ)) + ε
/// θ ← θ − η·(1 − μ_t)/(1 − Π_t) · g/d
/// θ ← θ − η·μ_{t+1}/(1 − Π_t·μ_{t+1}) · m/d
/// </code>
/// torch 1.13.1 multiplies μ_t into the last denominator twice (fixed in torch 2.0, PR #92699); pass
/// <c>torch113Compatibility: true</c> to reproduce that.
/// </summary>
public sealed class NAdam : AdamFamily
{
    private readonly double[] _muProduct;

    /// <summary>Creates NAdam over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">L2 coefficient added to the gradient.</param>
    /// <param name="momentumDecay">ψ ≥ 0.</param>
    /// <param name="torch113Compatibility">Reproduce torch 1.13.1's Π_{t+1} = Π_t·μ_t·μ_{t+1}.</param>
    public NAdam(
        IEnumerable<Parameter> parameters,
        double learningRate = Defaults.NAdam.LearningRate,
        double beta1 = Defaults.NAdam.Beta1,
        double beta2 = Defaults.NAdam.Beta2,
        double epsilon = Defaults.NAdam.Epsilon,
        double weightDecay = Defaults.NAdam.WeightDecay,
        double momentumDecay = Defaults.NAdam.MomentumDecay,
        bool torch113Compatibility = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay)
    {
        MomentumDecay = Guard.NonNegative(momentumDecay, nameof(momentumDecay));
        Torch113Compatibility = torch113Compatibility;
        _muProduct = Enumerable.Repeat(1.0, Parameters.Count).ToArray();
    }

    /// <summary>ψ.</summary>
    public double MomentumDecay { get; }

    /// <summary>Whether torch 1.13.1's double-counted μ_t is reproduced.</summary>
    public bool Torch113Compatibility { get; }

    /// <summary>μ_t = β₁·(1 − ½·0.96^(t·ψ)).</summary>
    public double MomentumAt(int t) => Beta1 * (1 - 0.5 * Math.Pow(0.96, t * MomentumDecay));

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        Span<double> m = State(index).M;
        Span<double> v = State(index).V;
        var μt = MomentumAt(t);
        var μNext = MomentumAt(t + 1);
        var Πt = _muProduct[index] *= μt;
        var ΠNext = Torch113Compatibility ? Πt * μt * μNext : Πt * μNext;
        var bc2 = 1 - Math.Pow(Beta2, t);
        var gradCoefficient = LearningRate * (1 - μt) / (1 - Πt);
        var momentCoefficient = LearningRate * μNext / (1 - ΠNext);
        for (var i = 0; i < θ.Length; i++)
        {
            var g = grad[i] + WeightDecay * θ[i];
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            var d = Math.Sqrt(v[i] / bc2) + Epsilon;
            θ[i] -= gradCoefficient * g / d;
            θ[i] -= momentCoefficient * m[i] / d;
        }
    }
}
