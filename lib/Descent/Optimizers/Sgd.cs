using Descent.Optimizers.Fast;

namespace Descent.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum, as torch.optim.SGD:
/// <code>
/// g ← g + wd·θ                       (L2 weight decay)
/// b ← g            on the first step
/// b ← μ·b + (1 − dampening)·g        afterwards
/// d ← g + μ·b  (Nesterov)  or  d ← b
/// θ ← θ − η·d
/// </code>
/// With μ = 0 this is plain θ ← θ − η·g. <see cref="UpdateReference"/> is this rule as a per-element loop; steps run
/// the same arithmetic fused and vectorised (<see cref="FusedUpdates.Sgd"/>).
/// </summary>
public sealed class Sgd : OptimizerBase, IHasMomentum
{
    private ArraySegment<double>[]? _buffers;
    private bool _buffersStarted;
    private double _momentum;

    /// <summary>Creates SGD over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η (required, as in torch 1.13).</param>
    /// <param name="momentum">μ ≥ 0.</param>
    /// <param name="dampening">Dampening of the gradient in the momentum buffer (not applied on the first step).</param>
    /// <param name="nesterov">Use the Nesterov look-ahead d = g + μ·b; needs μ &gt; 0 and dampening 0.</param>
    /// <param name="weightDecay">L2 coefficient wd ≥ 0 added to the gradient.</param>
    /// <param name="maximize">Ascend instead of descend.</param>
    public Sgd(
        IEnumerable<Parameter> parameters,
        double learningRate,
        double momentum = Defaults.Sgd.Momentum,
        double dampening = Defaults.Sgd.Dampening,
        bool nesterov = false,
        double weightDecay = Defaults.Sgd.WeightDecay,
        bool maximize = false)
        : base(parameters, learningRate)
    {
        Momentum = momentum;
        Dampening = Guard.NonNegative(dampening, nameof(dampening));
        WeightDecay = Guard.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException(
                $"nesterov requires momentum > 0 and dampening = 0, but momentum was {Guard.Show(momentum)} and dampening {Guard.Show(dampening)}.",
                nameof(nesterov));
        }

        Nesterov = nesterov;
        Maximize = maximize;
    }

    /// <summary>μ, the momentum coefficient (schedules may change it between steps).</summary>
    public double Momentum
    {
        get => _momentum;
        set => _momentum = Guard.NonNegative(value, "momentum");
    }

    /// <summary>The dampening of new gradients in the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>Whether the Nesterov look-ahead is used.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 coefficient added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the optimizer ascends.</summary>
    public bool Maximize { get; }

    /// <summary>The momentum buffer b of buffer <paramref name="index"/>, or null before the first momentum step.</summary>
    public IReadOnlyList<double>? MomentumBuffer(int index) => _buffersStarted ? _buffers![index] : (IReadOnlyList<double>?)null;

    /// <inheritdoc />
    public override long StateBytes => _buffers is null ? 0 : BytesFor(1);

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t) => UpdateReference(parameter, index);

    /// <inheritdoc />
    protected internal override IEnumerable<ArraySegment<double>> StateBuffers(int index)
    {
        if (Momentum == 0)
        {
            return [];
        }

        _buffers ??= NewState();
        return [_buffers[index]];
    }

    /// <inheritdoc />
    protected override bool? UpdateFused(Parameter parameter, int index, int t, bool skipNonFinite)
    {
        var sign = Maximize ? -1.0 : 1.0;
        if (Momentum == 0)
        {
            return FusedUpdates.Sgd(
                parameter.Value, parameter.Gradient, [], LearningRate, 0, Dampening, WeightDecay, sign, first: false, nesterov: false, skipNonFinite, VectorBits);
        }

        _buffers ??= NewState();
        var allFinite = FusedUpdates.Sgd(
            parameter.Value, parameter.Gradient, _buffers[index], LearningRate, Momentum, Dampening, WeightDecay, sign, !_buffersStarted, Nesterov, skipNonFinite, VectorBits);
        if (index == Parameters.Count - 1)
        {
            _buffersStarted = true;
        }

        return allFinite;
    }

    /// <summary>The update rule, one element at a time: the readable reference the fast path is tested against.</summary>
    internal void UpdateReference(Parameter parameter, int index)
    {
        var θ = parameter.Value;
        var grad = parameter.Gradient;
        var η = LearningRate;
        var μ = Momentum;
        var wd = WeightDecay;
        var sign = Maximize ? -1.0 : 1.0;

        if (μ == 0)
        {
            for (var i = 0; i < θ.Length; i++)
            {
                var g = sign * grad[i] + wd * θ[i];
                θ[i] -= η * g;
            }

            return;
        }

        _buffers ??= NewState();
        Span<double> b = _buffers[index];
        var first = !_buffersStarted;
        for (var i = 0; i < θ.Length; i++)
        {
            var g = sign * grad[i] + wd * θ[i];
            b[i] = first ? g : μ * b[i] + (1 - Dampening) * g;
            var d = Nesterov ? g + μ * b[i] : b[i];
            θ[i] -= η * d;
        }

        if (index == Parameters.Count - 1)
        {
            _buffersStarted = true;
        }
    }
}
