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
    /// When false (the default), an entry whose gradient is NaN or ±∞ is skipped — its θ and its optimizer state keep
    /// their values — every other entry takes the step, and <see cref="Step"/> then throws
    /// <see cref="NonFiniteGradientException"/> naming the step, the buffer and the first such entry. Set it to true to
    /// let non-finite values flow into θ, e.g. to show a diverging run.
    /// </summary>
    public bool AllowNonFiniteGradients { get; set; }

    /// <inheritdoc />
    public abstract long StateBytes { get; }

    /// <summary>
    /// When true, optimizers with a fused vector kernel (SGD, RMSProp, Adam, AdamW; see Optimizers/Fast) run their
    /// readable per-element loop instead — the reference the fast path is tested against. Both give the same numbers.
    /// </summary>
    internal bool UseReferenceLoop { get; set; }

    /// <summary>
    /// The widest vector the fused pass of this optimizer may use: 512, 256, 128 or 0 bits (one element at a time); the
    /// machine's widest by default. Tests lower it, per optimizer, to cover every path; every width gives the same numbers.
    /// </summary>
    internal int VectorBits { get; set; } = FusedUpdates.NativeBits;

    /// <inheritdoc />
    /// <exception cref="NonFiniteGradientException">
    /// A gradient entry is NaN or ±∞ (unless <see cref="AllowNonFiniteGradients"/>): thrown after the step, which
    /// skipped those entries and updated every other one (<see cref="StepCount"/> counts it).
    /// </exception>
    public void Step()
    {
        var t = StepCount + 1;
        var firstSkipped = -1;
        for (var k = 0; k < _parameters.Length; k++)
        {
            var p = _parameters[k];
            bool allFinite;
            if (!UseReferenceLoop && UpdateFused(p, k, t, skipNonFinite: !AllowNonFiniteGradients) is { } fusedAllFinite)
            {
                allFinite = fusedAllFinite;
            }
            else if (AllowNonFiniteGradients)
            {
                Update(p, k, t);
                allFinite = true;
            }
            else
            {
                allFinite = UpdateSkippingNonFinite(p, k, t);
            }

            if (!allFinite && firstSkipped < 0)
            {
                firstSkipped = k;
            }
        }

        StepCount = t;
        if (firstSkipped >= 0)
        {
            throw NonFiniteGradientException.Create(_parameters, firstSkipped, t);
        }
    }

    /// <inheritdoc />
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.ZeroGradient();
        }
    }

    /// <summary>Applies the update rule to one buffer at step <paramref name="t"/> (1-based), one entry at a time: the readable reference.</summary>
    /// <param name="parameter">The buffer θ with its gradient g.</param>
    /// <param name="index">The buffer's position in <see cref="Parameters"/>, to find its state.</param>
    /// <param name="t">The 1-based step number, counting this step.</param>
    protected abstract void Update(Parameter parameter, int index, int t);

    /// <summary>
    /// The same rule as <see cref="Update"/> fused into one vectorised pass (Optimizers/Fast), for optimizers that have
    /// one; with <paramref name="skipNonFinite"/> it leaves entries whose gradient is NaN or ±∞ as they were. Returns
    /// whether every gradient entry was finite, or null (the default) when there is no fused pass, and Step runs
    /// <see cref="Update"/>. Not called when <see cref="UseReferenceLoop"/> is set.
    /// </summary>
    protected virtual bool? UpdateFused(Parameter parameter, int index, int t, bool skipNonFinite) => null;

    /// <summary>
    /// <see cref="Update"/> on the entries of one buffer whose gradient is finite; the others keep θ and state. Returns
    /// false when it skipped an entry. Checks g first and, only when an entry is NaN or ±∞, saves those entries, runs
    /// <see cref="Update"/> and puts them back (the update rules are per entry, so the others are unaffected).
    /// </summary>
    private bool UpdateSkippingNonFinite(Parameter parameter, int index, int t)
    {
        var grad = parameter.Gradient;
        var first = FusedUpdates.FirstNonFinite(grad, VectorBits);
        if (first < 0)
        {
            Update(parameter, index, t);
            return true;
        }

        UpdateKeeping(parameter, index, t, first);
        return false;
    }

    // The rare path, apart so that the common one allocates nothing.
    private void UpdateKeeping(Parameter parameter, int index, int t, int first)
    {
        var grad = parameter.Gradient;
        var skipped = new List<int>();
        for (var i = first; i < grad.Length; i++)
        {
            if (!double.IsFinite(grad[i]))
            {
                skipped.Add(i);
            }
        }

        var arrays = StateBuffers(index).Prepend(parameter.Value).ToArray();
        var saved = arrays.Select(a => skipped.Select(i => a[i]).ToArray()).ToArray();
        Update(parameter, index, t);
        for (var a = 0; a < arrays.Length; a++)
        {
            for (var j = 0; j < skipped.Count; j++)
            {
                arrays[a][skipped[j]] = saved[a][j];
            }
        }
    }

    /// <summary>
    /// Every per-entry state array of buffer <paramref name="index"/> (each as long as the buffer), created now if the
    /// optimizer creates it lazily, so that <see cref="UpdateSkippingNonFinite"/> can keep skipped entries as they were.
    /// </summary>
    protected internal abstract IEnumerable<ArraySegment<double>> StateBuffers(int index);

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

    /// <summary>
    /// Allocates one state array per buffer, shaped like the buffers and filled with <paramref name="initialValue"/>.
    /// Each starts at the same offset within a 64-byte cache line as its buffer's θ, so the fused kernels' vector loop,
    /// aligned for θ, stores to the state aligned too (a misaligned 64-byte store touches two lines); the backing arrays
    /// are pinned so that the offset holds.
    /// </summary>
    protected ArraySegment<double>[] NewState(double initialValue = 0.0)
    {
        var state = new ArraySegment<double>[_parameters.Length];
        for (var k = 0; k < _parameters.Length; k++)
        {
            state[k] = AlignedLike(_parameters[k].Value);
            if (initialValue != 0.0)
            {
                state[k].AsSpan().Fill(initialValue);
            }
        }

        return state;
    }

    /// <summary>A zeroed array as long as <paramref name="θ"/> that starts at θ's offset within a 64-byte cache line (pinned).</summary>
    internal static unsafe ArraySegment<double> AlignedLike(double[] θ)
    {
        const int line = 64;
        var backing = GC.AllocateArray<double>(θ.Length + (line / sizeof(double)) - 1, pinned: true);
        fixed (double* want = θ, have = backing)
        {
            var offset = (int)(((nint)want - (nint)have) & (line - 1)) / sizeof(double);
            return new ArraySegment<double>(backing, offset, θ.Length);
        }
    }
}
