namespace Descent.Optimizers;

/// <summary>
/// The moment estimates of one parameter buffer in the Adam family, as plain arrays the course can plot:
/// m (first moment), v (second moment) and, for AMSGrad, the running maximum of v.
/// </summary>
public sealed class MomentState
{
    internal MomentState(int length, bool keepMax)
    {
        M = new double[length];
        V = new double[length];
        MaxV = keepMax ? new double[length] : null;
    }

    /// <summary>m, the exponential moving average of g (uncorrected).</summary>
    public double[] M { get; }

    /// <summary>v, the exponential moving average of g² (uncorrected).</summary>
    public double[] V { get; }

    /// <summary>max over steps of v (AMSGrad only), else null.</summary>
    public double[]? MaxV { get; }
}
