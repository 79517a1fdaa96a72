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

public static partial class LrSchedules
{
    /// <summary>
    /// torch OneCycleLR (two phases): the rate rises from max/div to max over the first pct·T steps and anneals to
    /// max/(div·finalDiv) by step T − 1; momentum moves the opposite way, from maxMomentum to baseMomentum and back.
    /// </summary>
    public static CycleSchedule OneCycle(
        double maxLearningRate, int totalSteps, double pctStart = 0.3, AnnealStrategy anneal = AnnealStrategy.Cosine,
        double divFactor = 25.0, double finalDivFactor = 1e4, bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95)
    {
        ScheduleGuard.Positive(maxLearningRate, nameof(maxLearningRate));
        ScheduleGuard.Positive(totalSteps, nameof(totalSteps));
        ScheduleGuard.OpenUnit(pctStart, nameof(pctStart));
        ScheduleGuard.Positive(divFactor, nameof(divFactor));
        ScheduleGuard.Positive(finalDivFactor, nameof(finalDivFactor));
        var initial = maxLearningRate / divFactor;
        var min = initial / finalDivFactor;
        var end1 = pctStart * totalSteps - 1;
        var end2 = totalSteps - 1.0;

        double Anneal(double a, double b, double pct) => anneal == AnnealStrategy.Cosine
            ? b + (a - b) / 2 * (Math.Cos(Math.PI * pct) + 1)
            : (b - a) * pct + a;

        double Phase(int step, double start1, double stop1, double stop2)
        {
            if (ScheduleGuard.Step(step) >= totalSteps)
            {
                throw new ArgumentOutOfRangeException(nameof(step), step, $"one-cycle has {totalSteps} steps; step {step} is past its end.");
            }

            return step <= end1
                ? Anneal(start1, stop1, step / end1)
                : Anneal(stop1, stop2, (step - end1) / (end2 - end1));
        }

        Schedule lr = step => Phase(step, initial, maxLearningRate, min);
        Schedule? momentum = cycleMomentum ? step => Phase(step, maxMomentum, baseMomentum, maxMomentum) : null;
        return new CycleSchedule(lr, momentum);
    }

    /// <summary>
    /// torch CyclicLR: the rate goes up from <paramref name="baseLearningRate"/> to <paramref name="maxLearningRate"/> over
    /// stepSizeUp steps and back down over stepSizeDown; the amplitude is scaled per <paramref name="mode"/>. Momentum
    /// moves the opposite way between maxMomentum and baseMomentum.
    /// </summary>
    public static CycleSchedule Cyclic(
        double baseLearningRate, double maxLearningRate, int stepSizeUp = 2000, int? stepSizeDown = null, CyclicMode mode = CyclicMode.Triangular,
        double gamma = 1.0, bool cycleMomentum = true, double baseMomentum = 0.8, double maxMomentum = 0.9)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        ScheduleGuard.NonNegative(maxLearningRate, nameof(maxLearningRate));
        ScheduleGuard.Positive(stepSizeUp, nameof(stepSizeUp));
        var down = stepSizeDown ?? stepSizeUp;
        ScheduleGuard.Positive(down, nameof(stepSizeDown));
        ScheduleGuard.Positive(gamma, nameof(gamma));
        double total = stepSizeUp + down;
        var ratio = stepSizeUp / total;

        double Scale(int step)
        {
            ScheduleGuard.Step(step);
            var cycle = Math.Floor(1 + step / total);
            var x = 1.0 + step / total - cycle;
            var factor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
            var s = mode switch
            {
                CyclicMode.Triangular => 1.0,
                CyclicMode.Triangular2 => 1 / Math.Pow(2, cycle - 1),
                _ => Math.Pow(gamma, step),
            };
            return factor * s;
        }

        Schedule lr = step => baseLearningRate + (maxLearningRate - baseLearningRate) * Scale(step);
        Schedule? momentum = cycleMomentum ? step => maxMomentum - (maxMomentum - baseMomentum) * Scale(step) : null;
        return new CycleSchedule(lr, momentum);
    }
}
