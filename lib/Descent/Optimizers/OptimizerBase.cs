using Descent.Optimizers.Fast;

namespace Descent.Optimizers;

/// <summary>
/// Shared machinery of every optimizer: the parameter list, the learning rate, the step counter t and the
/// non-finite gradient check. Each optimizer implements <see cref="Update"/> with its own formula.
/// </summary>
public abstract class OptimizerBase : IOptimizer
{
    private readonly Parameter[] _parameters;
    private double _learningRate;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> with learning rate η.</summary>
    /// <exception cref="ArgumentException">No parameter, or the same buffer twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">η is negative or not finite.</exception>
    protected OptimizerBase(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter buffer.", nameof(parameters));
        }

        var names = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var p in _parameters)
        {
            if (p is null)
            {
                throw new ArgumentException("A parameter buffer is null.", nameof(parameters));
            }

            if (!names.Add(p))
            {
                throw new ArgumentException($"Parameter '{p.Name}' is given twice.", nameof(parameters));
            }
        }

        LearningRate = learningRate;
    }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Guard.NonNegative(value, "learningRate");
    }

    /// <inheritdoc />
    public int StepCount { get; private set; }

    /// <summary>
    /// When false (the default), <see cref="Step"/> throws <see cref="NonFiniteGradientException"/> on a NaN or infinite
    /// gradient, naming the step and the buffer. Set it to true to let non-finite values flow into θ, e.g. to show a
    /// diverging run.
    /// </summary>
    public bool AllowNonFiniteGradients { get; set; }

    /// <inheritdoc />
    public abstract long StateBytes { get; }

    /// <summary>
    /// When true, optimizers with a fused vector kernel (SGD, RMSProp, Adam, AdamW; see Optimizers/Fast) run their
    /// readable per-element loop instead — the reference the fast path is tested against. Both give the same numbers.
    /// </summary>
    internal bool UseReferenceLoop { get; set; }

    /// <inheritdoc />
    public void Step()
    {
        var t = StepCount + 1;
        if (!AllowNonFiniteGradients)
        {
            foreach (var p in _parameters)
            {
                var i = VectorKernels.FirstNonFinite(p.Gradient);
                if (i >= 0)
                {
                    throw new NonFiniteGradientException(p.Name, i, t, p.Gradient[i]);
                }
            }
        }

        for (var k = 0; k < _parameters.Length; k++)
        {
            Update(_parameters[k], k, t);
        }

        StepCount = t;
    }

    /// <inheritdoc />
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.ZeroGradient();
        }
    }

    /// <summary>Applies the update rule to one buffer at step <paramref name="t"/> (1-based).</summary>
    /// <param name="parameter">The buffer θ with its gradient g.</param>
    /// <param name="index">The buffer's position in <see cref="Parameters"/>, to find its state.</param>
    /// <param name="t">The 1-based step number, counting this step.</param>
    protected abstract void Update(Parameter parameter, int index, int t);

    /// <summary>Bytes of one double per scalar of every buffer, times <paramref name="buffersPerScalar"/>.</summary>
    protected long BytesFor(int buffersPerScalar)
    {
        long n = 0;
        foreach (var p in _parameters)
        {
            n += p.Length;
        }

        return n * sizeof(double) * buffersPerScalar;
    }

    /// <summary>Allocates one zeroed state array per buffer, shaped like the buffers.</summary>
    protected double[][] NewState(double initialValue = 0.0)
    {
        var state = new double[_parameters.Length][];
        for (var k = 0; k < _parameters.Length; k++)
        {
            state[k] = new double[_parameters[k].Length];
            if (initialValue != 0.0)
            {
                Array.Fill(state[k], initialValue);
            }
        }

        return state;
    }
}
