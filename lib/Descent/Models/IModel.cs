using Descent.Data;
using Descent.Optimizers;

namespace Descent.Models;

/// <summary>A model trained by the course's optimizers: its parameters, a loss, and its gradient.</summary>
public interface IModel
{
    /// <summary>The parameter buffers (e.g. "W1", "b1"), updated in place by an optimizer.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The mean loss on <paramref name="data"/>.</summary>
    double Loss(Dataset data);

    /// <summary>The mean loss on <paramref name="data"/>; writes ∂loss/∂θ into every parameter's <see cref="Parameter.Gradient"/>.</summary>
    double LossAndGradient(Dataset data);

    /// <summary>The fraction of correctly classified samples (NaN for regression models).</summary>
    double Accuracy(Dataset data);
}
