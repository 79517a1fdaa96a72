namespace Descent.Optimizers;

/// <summary>
/// The course's momentum in exponential-moving-average form:
/// <code>
/// v ← β·v + (1 − β)·g
/// θ ← θ − η·v
/// </code>
/// v starts at 0. This is classic momentum (b ← β·b + g, θ ← θ − η'·b, b starting at 0) with the learning rate
/// rescaled: v = (1 − β)·b, so η = η'/(1 − β) gives the same path. (torch's SGD starts its buffer at the first
/// gradient instead of 0, so its first step differs; with dampening = β and the EMA form's v₀ = g it matches too.)
/// </summary>
public sealed class EmaMomentum : OptimizerBase, IHasMomentum
{
    private readonly ArraySegment<double>[] _velocity;
    private double _beta;

    /// <summary>Creates EMA momentum over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The buffers to update.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta">β in [0, 1).</param>
    public EmaMomentum(IEnumerable<Parameter> parameters, double learningRate, double beta = Defaults.EmaMomentum.Beta)
        : base(parameters, learningRate)
    {
        Momentum = beta;
        _velocity = NewState();
    }

    /// <summary>β, the decay of the moving average.</summary>
    public double Momentum
    {
        get => _beta;
        set => _beta = Guard.UnitInterval(value, "beta");
    }

    /// <summary>The velocity v of buffer <paramref name="index"/>.</summary>
    public IReadOnlyList<double> Velocity(int index) => _velocity[index];

    /// <inheritdoc />
    protected internal override IEnumerable<ArraySegment<double>> StateBuffers(int index) => [_velocity[index]];

    /// <inheritdoc />
    public override long StateBytes => BytesFor(1);

    /// <inheritdoc />
    protected override void Update(Parameter parameter, int index, int t)
    {
        var θ = parameter.Value;
        var g = parameter.Gradient;
        Span<double> v = _velocity[index];
        var β = _beta;
        var η = LearningRate;
        for (var i = 0; i < θ.Length; i++)
        {
            v[i] = β * v[i] + (1 - β) * g[i];
            θ[i] -= η * v[i];
        }
    }
}
