namespace Descent.Optimizers;

/// <summary>
/// What Adam and AdamW share: β₁ (cyclable as momentum), β₂, ε, a weight-decay coefficient, AMSGrad and the per-buffer
/// moment state m, v (and max v). Each subclass writes its own update.
/// </summary>
public abstract class AdamFamily : OptimizerBase, IHasMomentum
{
    private readonly MomentState[] _state;
    private double _beta1;

    /// <summary>Validates the shared hyper-parameters and allocates the moment state.</summary>
    private protected AdamFamily(
        IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool amsgrad, bool maximize)
        : base(parameters, learningRate)
    {
        Beta1 = beta1;
        Beta2 = Guard.UnitInterval(beta2, nameof(beta2));
        Epsilon = Guard.Positive(epsilon, nameof(epsilon));
        WeightDecay = Guard.NonNegative(weightDecay, nameof(weightDecay));
        AmsGrad = amsgrad;
        Maximize = maximize;
        _state = Parameters.Select(p => new MomentState(p.Value, amsgrad)).ToArray();
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

    /// <summary>The weight-decay coefficient (L2 for Adam, decoupled for AdamW).</summary>
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
    protected internal override IEnumerable<ArraySegment<double>> StateBuffers(int index) => _state[index].Arrays;
}
