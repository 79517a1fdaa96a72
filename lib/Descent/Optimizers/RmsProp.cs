using Descent.Optimizers.Fast;

namespace Descent.Optimizers;

/// <summary>
/// RMSProp, as torch.optim.RMSprop: AdaGrad with a moving average, so old gradients are forgotten.
/// <code>
/// g ← g + wd·θ
/// v ← α·v + (1 − α)·g²                  (v starts at 0, no bias correction)
/// centered:  ḡ ← α·ḡ + (1 − α)·g,  a = √(v − ḡ²) + ε
/// otherwise: a = √v + ε
/// momentum:  b ← μ·b + g/a,  θ ← θ − η·b   (b starts at 0)
/// otherwise: θ ← θ − η·g/a
/// </code>
/// <see cref="UpdateReference"/> is this rule as a per-element loop; steps run the same arithmetic fused and vectorised
/// (<see cref="FusedUpdates.RmsProp"/>).
/// </summary>
public sealed class RmsProp : OptimizerBase, IHasMomentum
{
    private readonly ArraySegment<double>[] _squareAverage;
    private readonly ArraySegment<double>[]? _gradAverage;
    private ArraySegment<double>[]? _momentumBuffer;
    private double _momentum;

    /// <summary>Creates RMSProp over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="alpha">α in [0, 1), the decay of the average of g².</param>
    /// <param name="epsilon">ε &gt; 0, added outside the square root.</param>
    /// <param name="weightDecay">L2 coefficient added to the gradient.</param>
    /// <param name="momentum">μ ≥ 0.</param>
    /// <param name="centered">Divide by an estimate of the variance instead of the raw second moment.</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public RmsProp(
        IEnumerable<Parameter> parameters,
        double learningRate = Defaults.RmsProp.LearningRate,
        double alpha = Defaults.RmsProp.Alpha,
        double epsilon = Defaults.RmsProp.Epsilon,
        double weightDecay = Defaults.RmsProp.WeightDecay,
        double momentum = Defaults.RmsProp.Momentum,
        bool centered = false,
        bool maximize = false)
        : base(parameters, learningRate)
    {
        Alpha = Guard.NonNegative(alpha, nameof(alpha));
        Epsilon = Guard.Positive(epsilon, nameof(epsilon));
        WeightDecay = Guard.NonNegative(weightDecay, nameof(weightDecay));
        Momentum = momentum;
        Centered = centered;
        Maximize = maximize;
        _squareAverage = NewState();
        _gradAverage = centered ? NewState() : null;
        _momentumBuffer = momentum > 0 ? NewState() : null;
    }

    /// <summary>α.</summary>
    public double Alpha { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 coefficient.</summary>
    public double WeightDecay { get; }

    /// <summary>μ (schedules may change it between steps).</summary>
    public double Momentum
    {
        get => _momentum;
        set => _momentum = Guard.NonNegative(value, "momentum");
    }

    /// <summary>Whether the variance estimate is used.</summary>
    public bool Centered { get; }

    /// <summary>Whether the optimizer ascends.</summary>
    public bool Maximize { get; }

    /// <summary>The moving average of g², v, of buffer <paramref name="index"/>.</summary>
    public IReadOnlyList<double> SquareAverage(int index) => _squareAverage[index];

    /// <inheritdoc />
    public override long StateBytes =>
        BytesFor(1 + (_gradAverage is null ? 0 : 1) + (_momentumBuffer is null ? 0 : 1));

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t) => UpdateReference(parameter, index);

    /// <inheritdoc />
    protected internal override IEnumerable<ArraySegment<double>> StateBuffers(int index)
    {
        yield return _squareAverage[index];
        if (_gradAverage is not null)
        {
            yield return _gradAverage[index];
        }

        if (Momentum > 0)
        {
            _momentumBuffer ??= NewState();
            yield return _momentumBuffer[index];
        }
    }

    /// <inheritdoc />
    protected override bool? UpdateFused(Parameter parameter, int index, int t, bool skipNonFinite)
    {
        if (Momentum > 0)
        {
            _momentumBuffer ??= NewState();
        }

        return FusedUpdates.RmsProp(
            parameter.Value,
            parameter.Gradient,
            _squareAverage[index],
            _gradAverage is null ? default : _gradAverage[index],
            Momentum > 0 ? _momentumBuffer![index] : default,
            LearningRate,
            Alpha,
            Epsilon,
            WeightDecay,
            Momentum,
            Maximize ? -1.0 : 1.0,
            skipNonFinite,
            VectorBits);
    }

    /// <summary>The update rule, one element at a time: the readable reference the fast path is tested against.</summary>
    internal void UpdateReference(Parameter parameter, int index)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        Span<double> v = _squareAverage[index];
        Span<double> gBar = _gradAverage is null ? default : _gradAverage[index];
        var α = Alpha;
        var μ = Momentum;
        if (μ > 0)
        {
            _momentumBuffer ??= NewState();
        }

        Span<double> b = μ > 0 ? _momentumBuffer![index] : default;
        var η = LearningRate;
        var sign = Maximize ? -1.0 : 1.0;
        for (var i = 0; i < θ.Length; i++)
        {
            var g = sign * grad[i] + WeightDecay * θ[i];
            v[i] = α * v[i] + (1 - α) * g * g;
            double a;
            if (!gBar.IsEmpty)
            {
                gBar[i] = α * gBar[i] + (1 - α) * g;
                a = Math.Sqrt(v[i] - gBar[i] * gBar[i]) + Epsilon;
            }
            else
            {
                a = Math.Sqrt(v[i]) + Epsilon;
            }

            if (!b.IsEmpty)
            {
                b[i] = μ * b[i] + g / a;
                θ[i] -= η * b[i];
            }
            else
            {
                θ[i] -= η * g / a;
            }
        }
    }
}
