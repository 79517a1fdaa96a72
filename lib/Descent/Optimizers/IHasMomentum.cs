namespace Descent.Optimizers;

/// <summary>
/// An optimizer with a momentum coefficient that schedules may cycle (one-cycle, cyclic): SGD's μ, or β₁ for the
/// Adam family, as torch's <c>cycle_momentum</c> does.
/// </summary>
public interface IHasMomentum
{
    /// <summary>The momentum coefficient (SGD's μ, Adam's β₁) used by the next step.</summary>
    double Momentum { get; set; }
}
