namespace Descent.Schedules;

/// <summary>A learning-rate schedule with the momentum schedule that goes with it (one-cycle, cyclic).</summary>
/// <param name="LearningRate">η_t.</param>
/// <param name="Momentum">The momentum (SGD's μ or Adam's β₁) for step t, or null when momentum is not cycled.</param>
public sealed record CycleSchedule(Schedule LearningRate, Schedule? Momentum);

/// <summary>How one-cycle anneals between its end points.</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine: b + (a − b)·(1 + cos(π·p))/2.</summary>
    Cosine,

    /// <summary>A straight line: a + (b − a)·p.</summary>
    Linear,
}

/// <summary>The shape of a cyclic schedule's cycles (torch CyclicLR modes).</summary>
public enum CyclicMode
{
    /// <summary>Every cycle has the same amplitude.</summary>
    Triangular,

    /// <summary>The amplitude halves each cycle.</summary>
    Triangular2,

    /// <summary>The amplitude is scaled by γ^t at step t.</summary>
    ExpRange,
}
