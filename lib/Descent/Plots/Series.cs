namespace Descent.Plots;

/// <summary>One curve of a line chart.</summary>
/// <param name="Name">The legend name, with its hyper-parameters (e.g. "SGD, η=0.01").</param>
/// <param name="Y">The values.</param>
/// <param name="Color">A CSS colour, or null for the default sequence.</param>
/// <param name="Dash">"solid", "dash", "dot", … or null.</param>
/// <param name="X">The x values, or null for 0, 1, 2, ….</param>
public sealed record Series(string Name, IReadOnlyList<double> Y, string? Color = null, string? Dash = null, IReadOnlyList<double>? X = null);
