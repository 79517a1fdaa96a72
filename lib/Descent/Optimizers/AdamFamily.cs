namespace Descent.Optimizers;

/// <summary>
/// What the Adam family — <see cref="Adam"/>, <see cref="AdamW"/>, <see cref="NAdam"/>, <see cref="RAdam"/> and
/// <see cref="Adamax"/> — shares: β₁ (the momentum one-cycle and cyclic schedules may cycle, as torch's
/// <c>cycle_momentum</c> does), β₂, ε, a weight-decay coefficient, and the per-buffer moment state m, v (and, with
/// AMSGrad, max v). Each subclass writes its own update, as its paper's formula.
/// </summary>
public abstract class AdamFamily : OptimizerBase, IHasMomentum
{
    private readonly MomentState[] _state;
    private double _beta1;

    /// <summary>Validates the shared hyper-parameters and allocates the moment state.</summary>
    private protected AdamFamily(
        IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool amsgrad = false,
        bool maximize = false)
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

    /// <summary>β₁, the decay of m (one-cycle and cyclic schedules may change it between steps).</summary>
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

    /// <summary>β₂, the decay of v (Adamax: of u).</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>The weight-decay coefficient: decoupled for AdamW, L2 (added to the gradient) for the others.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether AMSGrad's maximum of v is used (Adam and AdamW offer it; false for the others).</summary>
    public bool AmsGrad { get; }

    /// <summary>Whether the optimizer ascends (Adam, AdamW and Adamax offer it, as torch 1.13; false for NAdam and RAdam).</summary>
    public bool Maximize { get; }

    /// <summary>m, v (Adamax: u) and, with AMSGrad, max v of buffer <paramref name="index"/>.</summary>
    public MomentState State(int index) => _state[index];

    /// <inheritdoc />
    public override long StateBytes => BytesFor(AmsGrad ? 3 : 2);

    /// <inheritdoc />
    protected internal override IEnumerable<ArraySegment<double>> StateBuffers(int index) => _state[index].Arrays;
}
