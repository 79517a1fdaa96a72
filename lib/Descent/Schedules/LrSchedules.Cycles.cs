namespace Descent.Schedules;

/// <summary>The cyclic schedules (torch OneCycleLR and CyclicLR): a rate and the momentum that moves against it.</summary>
public static partial class LrSchedules
{
    /// <summary>
    /// torch OneCycleLR (two phases): the rate rises from max/div to max over the first pct·T steps and anneals to
    /// max/(div·finalDiv) by step T − 1; momentum moves the opposite way, from maxMomentum to baseMomentum and back.
    /// </summary>
    public static CycleSchedule OneCycle(
        double maxLearningRate,
        int totalSteps,
        double pctStart = ScheduleDefaults.OneCycle.PctStart,
        AnnealStrategy anneal = AnnealStrategy.Cosine,
        double divFactor = ScheduleDefaults.OneCycle.DivFactor,
        double finalDivFactor = ScheduleDefaults.OneCycle.FinalDivFactor,
        bool cycleMomentum = true,
        double baseMomentum = ScheduleDefaults.OneCycle.BaseMomentum,
        double maxMomentum = ScheduleDefaults.OneCycle.MaxMomentum)
    {
        Guard.Positive(maxLearningRate, nameof(maxLearningRate));
        Guard.Positive(totalSteps, nameof(totalSteps));
        Guard.OpenUnit(pctStart, nameof(pctStart));
        Guard.Positive(divFactor, nameof(divFactor));
        Guard.Positive(finalDivFactor, nameof(finalDivFactor));
        var initial = maxLearningRate / divFactor;
        var min = initial / finalDivFactor;
        var end1 = pctStart * totalSteps - 1;
        var end2 = totalSteps - 1.0;

        double Anneal(double a, double b, double pct) => anneal == AnnealStrategy.Cosine
            ? CosineBetween(a, b, Math.PI * pct)
            : (b - a) * pct + a;

        double Phase(int step, double start1, double stop1, double stop2)
        {
            if (Guard.Step(step) >= totalSteps)
            {
                throw new ArgumentOutOfRangeException(nameof(step), step, $"one-cycle has {Guard.Show(totalSteps)} steps; step {Guard.Show(step)} is past its end.");
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
        double baseLearningRate,
        double maxLearningRate,
        int stepSizeUp = ScheduleDefaults.Cyclic.StepSizeUp,
        int? stepSizeDown = null,
        CyclicMode mode = CyclicMode.Triangular,
        double gamma = ScheduleDefaults.Cyclic.Gamma,
        bool cycleMomentum = true,
        double baseMomentum = ScheduleDefaults.Cyclic.BaseMomentum,
        double maxMomentum = ScheduleDefaults.Cyclic.MaxMomentum)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.NonNegative(maxLearningRate, nameof(maxLearningRate));
        Guard.Positive(stepSizeUp, nameof(stepSizeUp));
        var down = stepSizeDown ?? stepSizeUp;
        Guard.Positive(down, nameof(stepSizeDown));
        Guard.Positive(gamma, nameof(gamma));
        double total = stepSizeUp + down;
        var ratio = stepSizeUp / total;

        double Scale(int step)
        {
            Guard.Step(step);
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
