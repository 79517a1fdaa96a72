namespace Descent.Optimizers;

/// <summary>
/// An optimizer updates a fixed set of <see cref="Parameter"/> buffers in place from their gradients.
/// Semantics follow PyTorch 1.13's <c>torch.optim</c>.
/// </summary>
public interface IOptimizer
{
    /// <summary>The buffers this optimizer updates, in the order given to its constructor.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>η, the learning rate used by the next <see cref="Step"/>; schedules set it between steps.</summary>
    double LearningRate { get; set; }

    /// <summary>t, the number of completed steps.</summary>
    int StepCount { get; }

    /// <summary>
    /// Applies one update to every parameter buffer from its current gradient (see
    /// <see cref="OptimizerBase.AllowNonFiniteGradients"/> for what a NaN or infinite gradient entry does).
    /// </summary>
    void Step();

    /// <summary>Sets every parameter's gradient to zero.</summary>
    void ZeroGrad();

    /// <summary>The bytes of optimizer state held per parameter buffer set (momentum buffers, moment estimates, …), excluding θ and g.</summary>
    long StateBytes { get; }
}
