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
public sealed class AdamW : AdamFamily
{
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
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, maximize)
    {
    }

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t) => UpdateReference(parameter, index, t);

    /// <inheritdoc />
    /// <remarks>The same two steps as <see cref="UpdateReference"/>, fused into one pass over memory.</remarks>
    protected override bool? UpdateFused(Parameter parameter, int index, int t, bool skipNonFinite) =>
        AdamMath.Step(
            parameter, State(index), t, LearningRate, Beta1, Beta2, Epsilon, l2: 0, Maximize, biasCorrection: true, 1 - LearningRate * WeightDecay, skipNonFinite, VectorBits);

    /// <summary>The update rule, one element at a time: the readable reference the fast path is tested against.</summary>
    internal void UpdateReference(Parameter parameter, int index, int t)
    {
        var θ = parameter.Value;
        var decay = 1 - LearningRate * WeightDecay;
        for (var i = 0; i < θ.Length; i++)
        {
            θ[i] *= decay;
        }

        AdamMath.StepReference(parameter, State(index), t, LearningRate, Beta1, Beta2, Epsilon, l2: 0, Maximize, biasCorrection: true);
    }
}
