namespace Descent.Optimizers;

/// <summary>
/// Thrown by a step when a gradient entry is NaN or infinite (see <see cref="OptimizerBase.AllowNonFiniteGradients"/>):
/// the step skipped those entries, so their θ and optimizer state are as they were, and updated every other entry.
/// </summary>
public sealed class NonFiniteGradientException : InvalidOperationException
{
    /// <summary>Creates the exception for entry <paramref name="index"/> of buffer <paramref name="parameterName"/> at step <paramref name="step"/>.</summary>
    /// <param name="parameterName">The buffer's name.</param>
    /// <param name="index">The first non-finite entry's index within the buffer.</param>
    /// <param name="step">The 1-based step.</param>
    /// <param name="value">The entry's gradient (NaN or ±∞).</param>
    /// <param name="skippedEntries">How many entries, over every buffer, the step skipped.</param>
    public NonFiniteGradientException(string parameterName, int index, int step, double value, long skippedEntries = 1)
        : base($"Non-finite gradient {Guard.Show(value)} in '{parameterName}'[{Guard.Show(index)}] at step {Guard.Show(step)}" +
               (skippedEntries > 1 ? $" ({Guard.Show(skippedEntries)} non-finite entries in all)" : string.Empty) + ". " +
               $"Step {Guard.Show(step)} skipped {(skippedEntries > 1 ? "those entries" : "that entry")} (θ and optimizer state kept) and updated every other one. " +
               "The loss has probably diverged: lower the learning rate, clip gradients, or set AllowNonFiniteGradients to watch it diverge.")
    {
        ParameterName = parameterName;
        Index = index;
        StepNumber = step;
        SkippedEntries = skippedEntries;
    }

    /// <summary>The buffer's name.</summary>
    public string ParameterName { get; }

    /// <summary>The first non-finite entry's index within the buffer.</summary>
    public int Index { get; }

    /// <summary>The 1-based step at which it was seen.</summary>
    public int StepNumber { get; }

    /// <summary>How many entries, over every buffer, had a non-finite gradient and were skipped.</summary>
    public long SkippedEntries { get; }

    /// <summary>Describes the first non-finite entry of buffer <paramref name="first"/> and counts every skipped entry.</summary>
    internal static NonFiniteGradientException Create(IReadOnlyList<Parameter> parameters, int first, int step)
    {
        var p = parameters[first];
        var index = Array.FindIndex(p.Gradient, g => !double.IsFinite(g));
        var count = parameters.Sum(q => (long)q.Gradient.Count(g => !double.IsFinite(g)));
        return new NonFiniteGradientException(p.Name, index, step, p.Gradient[index], count);
    }
}
