namespace Descent.Optimizers;

/// <summary>
/// A named buffer of parameters θ with its gradient g, e.g. a layer's weights or biases.
/// Optimizers update <see cref="Value"/> in place from <see cref="Gradient"/>.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter buffer holding <paramref name="value"/> (not copied) and a zero gradient.</summary>
    /// <param name="name">A name used in error messages and state reports, e.g. <c>"W1"</c>.</param>
    /// <param name="value">The parameter values θ; the array is used in place.</param>
    /// <exception cref="ArgumentException">The name is empty or the buffer has no element.</exception>
    public Parameter(string name, double[] value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new ArgumentException($"Parameter '{name}' has no element.", nameof(value));
        }

        Name = name;
        Value = value;
        Gradient = new double[value.Length];
    }

    /// <summary>The buffer's name.</summary>
    public string Name { get; }

    /// <summary>θ, updated in place by an optimizer step.</summary>
    public double[] Value { get; }

    /// <summary>g, written by a model's backward pass (or by hand) before a step.</summary>
    public double[] Gradient { get; }

    /// <summary>The number of scalars in the buffer.</summary>
    public int Length => Value.Length;

    /// <summary>Sets every gradient entry to zero.</summary>
    public void ZeroGradient() => Array.Clear(Gradient);
}
