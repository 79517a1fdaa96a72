namespace Descent.Models;

/// <summary>A hidden layer's nonlinearity.</summary>
public enum Activation
{
    /// <summary>max(0, z).</summary>
    Relu,

    /// <summary>tanh(z).</summary>
    Tanh,
}
