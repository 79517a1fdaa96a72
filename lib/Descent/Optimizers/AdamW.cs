namespace Descent.Optimizers;

/// <summary>
/// AdamW, as torch.optim.AdamW: Adam with weight decay decoupled from the gradient.
/// <code>
/// θ ← θ·(1 − η·wd)                      (decay first, scaled by η, equal for every coordinate)
/// m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − η · m̂ / (√v̂ + ε)
/// </code>
/// The default wd is 0.01 (Adam's is 0).
/// </summary>
public sealed class AdamW : OptimizerBase, IHasMomentum
{
    private readonly MomentState[] _state;
    private double _beta1;

    /// <summary>Creates AdamW over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">Decoupled decay coefficient wd ≥ 0.</param>
    /// <param name="amsgrad">Use the maximum of v so far.</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public AdamW(
        IEnumerable<Parameter> parameters,
        double learningRate = Defaults.AdamW.LearningRate,
        double beta1 = Defaults.AdamW.Beta1,
        double beta2 = Defaults.AdamW.Beta2,
        double epsilon = Defaults.AdamW.Epsilon,
        double weightDecay = Defaults.AdamW.WeightDecay,
        bool amsgrad = false,
        bool maximize = false)
        : base(parameters, learningRate)
    {
        Beta1 = beta1;
        Beta2 = Guard.UnitInterval(beta2, nameof(beta2));
        Epsilon = Guard.Positive(epsilon, nameof(epsilon));
        WeightDecay = Guard.NonNegative(weightDecay, nameof(weightDecay));
        AmsGrad = amsgrad;
        Maximize = maximize;
        _state = Parameters.Select(p => new MomentState(p.Length, amsgrad)).ToArray();
    }

    /// <summary>β₁ (one-cycle schedules may cycle it).</summary>
    public double Beta1
    {
        get => _beta1;
        set => _beta1 = Guard.UnitInterval(value, "beta1");
    }

    double IHasMomentum.Momentum
    {
        get => Beta1;
        set => Beta1 = value;
    }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>The decoupled decay coefficient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether AMSGrad's maximum of v is used.</summary>
    public bool AmsGrad { get; }

    /// <summary>Whether the optimizer ascends.</summary>
    public bool Maximize { get; }

    /// <summary>m, v (and max v) of buffer <paramref name="index"/>.</summary>
    public MomentState State(int index) => _state[index];

    /// <inheritdoc />
    public override long StateBytes => BytesFor(AmsGrad ? 3 : 2);

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t)
    {
        var θ = parameter.Value;
        var decay = 1 - LearningRate * WeightDecay;
        for (var i = 0; i < θ.Length; i++)
        {
            θ[i] *= decay;
        }

        AdamMath.Step(parameter, _state[index], t, LearningRate, Beta1, Beta2, Epsilon, l2: 0, Maximize, biasCorrection: true);
    }
}
