namespace Descent.Optimizers;

/// <summary>
/// Adam, as torch.optim.Adam: momentum on g (first moment) plus RMSProp's scaling (second moment), both
/// bias-corrected.
/// <code>
/// g ← g + wd·θ                          (L2, coupled through m and v)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// m̂ = m / (1 − β₁ᵗ)      v̂ = v / (1 − β₂ᵗ)      (AMSGrad: v̂ from max(v) so far)
/// θ ← θ − η · m̂ / (√v̂ + ε)
/// </code>
/// With <c>biasCorrection: false</c>, m̂ = m and v̂ = v: the first step is then (1 − β₁)/√(1 − β₂) ≈ 3.16 times larger.
/// </summary>
public sealed class Adam : AdamFamily
{
    /// <summary>Creates Adam over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0, added to √v̂.</param>
    /// <param name="weightDecay">L2 coefficient added to the gradient (not AdamW's decoupled decay).</param>
    /// <param name="amsgrad">Use the maximum of v so far (AMSGrad).</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    /// <param name="biasCorrection">Divide m and v by (1 − βᵗ); the bias-correction chapter turns it off.</param>
    public Adam(
        IEnumerable<Parameter> parameters,
        double learningRate = Defaults.Adam.LearningRate,
        double beta1 = Defaults.Adam.Beta1,
        double beta2 = Defaults.Adam.Beta2,
        double epsilon = Defaults.Adam.Epsilon,
        double weightDecay = Defaults.Adam.WeightDecay,
        bool amsgrad = false,
        bool maximize = false,
        bool biasCorrection = true)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize)
    {
        BiasCorrection = biasCorrection;
    }

    /// <summary>Whether m and v are bias-corrected.</summary>
    public bool BiasCorrection { get; }

    /// <summary>m̂ = m/(1 − β₁ᵗ) of entry <paramref name="i"/> of buffer <paramref name="index"/> after the last step.</summary>
    public double MHat(int index, int i) => State(index).M[i] / AdamMath.Correction(BiasCorrection, Beta1, StepCount);

    /// <summary>v̂ = v/(1 − β₂ᵗ) of entry <paramref name="i"/> of buffer <paramref name="index"/> after the last step.</summary>
    public double VHat(int index, int i) => State(index).V[i] / AdamMath.Correction(BiasCorrection, Beta2, StepCount);

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t) =>
        AdamMath.StepReference(parameter, State(index), t, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, Maximize, BiasCorrection);

    /// <inheritdoc />
    protected override bool? UpdateFused(Parameter parameter, int index, int t, bool skipNonFinite) =>
        AdamMath.Step(parameter, State(index), t, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, Maximize, BiasCorrection, decay: 1.0, skipNonFinite, VectorBits);
}
