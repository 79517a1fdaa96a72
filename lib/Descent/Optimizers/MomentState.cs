namespace Descent.Optimizers;

/// <summary>
/// The moment estimates of one parameter buffer in the Adam family, as plain arrays the course can plot:
/// m (first moment), v (second moment) and, for AMSGrad, the running maximum of v.
/// </summary>
public sealed class MomentState
{
    /// <summary>Zeroed m, v (and max v) for the buffer θ, each at θ's offset within a cache line (see <see cref="OptimizerBase"/>'s NewState).</summary>
    internal MomentState(double[] θ, bool keepMax)
    {
        M = OptimizerBase.AlignedLike(θ);
        V = OptimizerBase.AlignedLike(θ);
        MaxV = keepMax ? OptimizerBase.AlignedLike(θ) : (ArraySegment<double>?)null;
    }

    /// <summary>m, the exponential moving average of g (uncorrected).</summary>
    public ArraySegment<double> M { get; }

    /// <summary>v, the exponential moving average of g² (uncorrected).</summary>
    public ArraySegment<double> V { get; }

    /// <summary>max over steps of v (AMSGrad only), else null.</summary>
    public ArraySegment<double>? MaxV { get; }

    /// <summary>M, V and (AMSGrad) MaxV.</summary>
    internal IEnumerable<ArraySegment<double>> Arrays => MaxV is { } maxV ? [M, V, maxV] : [M, V];
}
