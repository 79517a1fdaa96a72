namespace Descent.Optimizers;

/// <summary>Thrown by a step when a gradient entry is NaN or infinite (see <see cref="OptimizerBase.AllowNonFiniteGradients"/>).</summary>
public sealed class NonFiniteGradientException : InvalidOperationException
{
    /// <summary>Creates the exception for entry <paramref name="index"/> of buffer <paramref name="parameterName"/> at step <paramref name="step"/>.</summary>
    public NonFiniteGradientException(string parameterName, int index, int step, double value)
        : base($"Non-finite gradient {value} in '{parameterName}'[{index}] at step {step}. " +
               "The loss has probably diverged: lower the learning rate, clip gradients, or set AllowNonFiniteGradients to watch it diverge.")
    {
        ParameterName = parameterName;
        Index = index;
        StepNumber = step;
    }

    /// <summary>The buffer's name.</summary>
    public string ParameterName { get; }

    /// <summary>The entry's index within the buffer.</summary>
    public int Index { get; }

    /// <summary>The 1-based step at which it was seen.</summary>
    public int StepNumber { get; }
}
