namespace Descent.Optimizers;

/// <summary>
/// AdaGrad, as torch.optim.Adagrad: every coordinate gets its own, ever-shrinking step.
/// <code>
/// g ← g + wd·θ
/// η_t = η / (1 + (t − 1)·lr_decay)
/// s ← s + g²
/// θ ← θ − η_t · g / (√s + ε)
/// </code>
/// The effective per-coordinate rate η/(√s + ε) only falls, so on a long run the steps vanish.
/// </summary>
public sealed class Adagrad : OptimizerBase
{
    private readonly ArraySegment<double>[] _sum;

    /// <summary>Creates AdaGrad over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="learningRateDecay">Inverse-time decay of η (torch's lr_decay), ≥ 0.</param>
    /// <param name="weightDecay">L2 coefficient added to the gradient.</param>
    /// <param name="initialAccumulatorValue">The starting value of s, ≥ 0.</param>
    /// <param name="epsilon">ε &gt; 0, added outside the square root.</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public Adagrad(
        IEnumerable<Parameter> parameters,
        double learningRate = Defaults.Adagrad.LearningRate,
        double learningRateDecay = Defaults.Adagrad.LearningRateDecay,
        double weightDecay = Defaults.Adagrad.WeightDecay,
        double initialAccumulatorValue = Defaults.Adagrad.InitialAccumulatorValue,
        double epsilon = Defaults.Adagrad.Epsilon,
        bool maximize = false)
        : base(parameters, learningRate)
    {
        LearningRateDecay = Guard.NonNegative(learningRateDecay, nameof(learningRateDecay));
        WeightDecay = Guard.NonNegative(weightDecay, nameof(weightDecay));
        InitialAccumulatorValue = Guard.NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Epsilon = Guard.Positive(epsilon, nameof(epsilon));
        Maximize = maximize;
        _sum = NewState(initialAccumulatorValue);
    }

    /// <summary>torch's lr_decay.</summary>
    public double LearningRateDecay { get; }

    /// <summary>The L2 coefficient.</summary>
    public double WeightDecay { get; }

    /// <summary>The starting value of the sum of squares.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the optimizer ascends.</summary>
    public bool Maximize { get; }

    /// <summary>The running sum of squared gradients s of buffer <paramref name="index"/>.</summary>
    public IReadOnlyList<double> SumOfSquares(int index) => _sum[index];

    /// <inheritdoc />
    protected internal override IEnumerable<ArraySegment<double>> StateBuffers(int index) => [_sum[index]];

    /// <summary>The per-coordinate effective learning rate η_t/(√s + ε) of entry <paramref name="i"/> of buffer <paramref name="index"/>, for the last step.</summary>
    public double EffectiveLearningRate(int index, int i)
    {
        var ηt = LearningRate / (1 + (Math.Max(StepCount, 1) - 1) * LearningRateDecay);
        return ηt / (Math.Sqrt(_sum[index][i]) + Epsilon);
    }

    /// <inheritdoc />
    public override long StateBytes => BytesFor(1);

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        Span<double> s = _sum[index];
        var ηt = LearningRate / (1 + (t - 1) * LearningRateDecay);
        var sign = Maximize ? -1.0 : 1.0;
        for (var i = 0; i < θ.Length; i++)
        {
            var g = sign * grad[i] + WeightDecay * θ[i];
            s[i] += g * g;
            θ[i] -= ηt * g / (Math.Sqrt(s[i]) + Epsilon);
        }
    }
}
