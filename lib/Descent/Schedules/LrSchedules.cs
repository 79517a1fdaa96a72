namespace Descent.Schedules;

/// <summary>
/// Learning-rate schedules as plain functions of the 0-based step t, equal to torch.optim.lr_scheduler's values
/// (the lr read before optimizer step t). They compose: <see cref="Sequential"/> joins any list at milestones.
/// </summary>
public static partial class LrSchedules
{
    /// <summary>η_t = η.</summary>
    public static Schedule Constant(double learningRate)
    {
        Guard.NonNegative(learningRate, nameof(learningRate));
        return step => { Guard.Step(step); return learningRate; };
    }

    /// <summary>torch StepLR: η_t = η₀·γ^⌊t/stepSize⌋.</summary>
    public static Schedule Step(double baseLearningRate, int stepSize, double gamma = ScheduleDefaults.Step.Gamma)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.Positive(stepSize, nameof(stepSize));
        Guard.Positive(gamma, nameof(gamma));
        return step => baseLearningRate * Math.Pow(gamma, Guard.Step(step) / stepSize);
    }

    /// <summary>torch MultiStepLR: η_t = η₀·γ^(number of milestones ≤ t).</summary>
    public static Schedule MultiStep(double baseLearningRate, IReadOnlyList<int> milestones, double gamma = ScheduleDefaults.Step.Gamma)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        var ms = Guard.Increasing(milestones, nameof(milestones));
        Guard.Positive(gamma, nameof(gamma));
        return step =>
        {
            Guard.Step(step);
            var passed = ms.Count(m => m <= step);
            return baseLearningRate * Math.Pow(gamma, passed);
        };
    }

    /// <summary>torch ExponentialLR: η_t = η₀·γ^t.</summary>
    public static Schedule Exponential(double baseLearningRate, double gamma)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.Positive(gamma, nameof(gamma));
        return step => baseLearningRate * Math.Pow(gamma, Guard.Step(step));
    }

    /// <summary>
    /// torch LinearLR: η_t = η₀·(s + (e − s)·min(t, T)/T), from η₀·s to η₀·e over T steps. With s &lt; e it is a
    /// linear warmup.
    /// </summary>
    public static Schedule Linear(
        double baseLearningRate,
        double startFactor = ScheduleDefaults.Linear.StartFactor,
        double endFactor = ScheduleDefaults.Linear.EndFactor,
        int totalIters = ScheduleDefaults.Linear.TotalIters)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.Requires(startFactor, startFactor > 0 && startFactor <= 1, nameof(startFactor), "in (0, 1]");
        Guard.Requires(endFactor, endFactor >= 0 && endFactor <= 1, nameof(endFactor), "in [0, 1]");
        Guard.Positive(totalIters, nameof(totalIters));
        return step =>
        {
            var t = Math.Min(Guard.Step(step), totalIters);
            return baseLearningRate * (startFactor + (endFactor - startFactor) * t / totalIters);
        };
    }

    /// <summary>A linear warmup from η·startFactor to η over <paramref name="warmupSteps"/> steps, then η (torch LinearLR).</summary>
    public static Schedule LinearWarmup(double learningRate, int warmupSteps, double startFactor = ScheduleDefaults.Warmup.StartFactor) =>
        Linear(learningRate, startFactor, 1.0, warmupSteps);

    /// <summary>torch ConstantLR: η_t = η₀·factor for t &lt; T, then η₀.</summary>
    public static Schedule ConstantFactor(
        double baseLearningRate, double factor = ScheduleDefaults.ConstantFactor.Factor, int totalIters = ScheduleDefaults.ConstantFactor.TotalIters)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.Requires(factor, factor >= 0 && factor <= 1, nameof(factor), "in [0, 1]");
        Guard.NonNegative(totalIters, nameof(totalIters));
        return step => Guard.Step(step) < totalIters ? baseLearningRate * factor : baseLearningRate;
    }

    /// <summary>torch PolynomialLR: η_t = η₀·(1 − min(t, T)/T)^power; 0 from t = T on.</summary>
    public static Schedule Polynomial(
        double baseLearningRate, int totalIters = ScheduleDefaults.Polynomial.TotalIters, double power = ScheduleDefaults.Polynomial.Power)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.Positive(totalIters, nameof(totalIters));
        Guard.NonNegative(power, nameof(power));
        return step => baseLearningRate * Math.Pow(1.0 - (double)Math.Min(Guard.Step(step), totalIters) / totalIters, power);
    }

    /// <summary>
    /// torch CosineAnnealingLR: η_t = η_min + (η₀ − η_min)·(1 + cos(π·t/T_max))/2. Not clamped after T_max: the
    /// cosine carries on and the rate rises back towards η₀, as in torch.
    /// </summary>
    public static Schedule CosineAnnealing(double baseLearningRate, int tMax, double etaMin = ScheduleDefaults.Cosine.EtaMin)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.Positive(tMax, nameof(tMax));
        Guard.NonNegative(etaMin, nameof(etaMin));
        return step => CosineBetween(baseLearningRate, etaMin, Math.PI * Guard.Step(step) / tMax);
    }

    /// <summary>
    /// torch CosineAnnealingWarmRestarts (SGDR): a cosine from η₀ down towards η_min over T_i steps, then a restart;
    /// T₀ = <paramref name="t0"/>, T_{i+1} = T_i·T_mult.
    /// </summary>
    public static Schedule CosineWarmRestarts(
        double baseLearningRate, int t0, int tMult = ScheduleDefaults.Cosine.TMult, double etaMin = ScheduleDefaults.Cosine.EtaMin)
    {
        Guard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        Guard.Positive(t0, nameof(t0));
        Guard.Positive(tMult, nameof(tMult));
        Guard.NonNegative(etaMin, nameof(etaMin));
        return step =>
        {
            var (tCur, tI) = WarmRestartPosition(Guard.Step(step), t0, tMult);
            return CosineBetween(baseLearningRate, etaMin, Math.PI * tCur / tI);
        };
    }

    /// <summary>The position (T_cur, T_i) within the current cycle of warm restarts at step <paramref name="step"/>.</summary>
    public static (int TCur, int TI) WarmRestartPosition(int step, int t0, int tMult)
    {
        int tCur = step, tI = t0;
        while (tCur >= tI)
        {
            tCur -= tI;
            tI *= tMult;
        }

        return (tCur, tI);
    }

    /// <summary>The steps at which warm restarts happen, below <paramref name="steps"/>.</summary>
    public static IReadOnlyList<int> WarmRestartSteps(int steps, int t0, int tMult = ScheduleDefaults.Cosine.TMult)
    {
        var restarts = new List<int>();
        for (int at = t0, len = t0; at < steps; len *= tMult, at += len)
        {
            restarts.Add(at);
        }

        return restarts;
    }

    /// <summary>
    /// torch SequentialLR: schedule k runs from milestone k−1 (or 0) and sees the step counted from its own start,
    /// t − milestone. Joins any list, e.g. a warmup then a cosine.
    /// </summary>
    public static Schedule Sequential(IReadOnlyList<Schedule> schedules, IReadOnlyList<int> milestones)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        var ms = Guard.Increasing(milestones, nameof(milestones));
        if (schedules.Count != ms.Length + 1)
        {
            throw new ArgumentException(
                $"Sequential needs one more schedule than milestones, but got {Guard.Show(schedules.Count)} schedules and {Guard.Show(ms.Length)} milestones.",
                nameof(milestones));
        }

        var parts = schedules.ToArray();
        return step =>
        {
            Guard.Step(step);
            var k = 0;
            while (k < ms.Length && step >= ms[k])
            {
                k++;
            }

            return parts[k](k == 0 ? step : step - ms[k - 1]);
        };
    }

    /// <summary>Linear warmup over <paramref name="warmupSteps"/> (from η·startFactor), then cosine annealing to η_min over the rest.</summary>
    public static Schedule WarmupCosine(
        double learningRate, int warmupSteps, int totalSteps, double etaMin = ScheduleDefaults.Cosine.EtaMin, double startFactor = ScheduleDefaults.Warmup.StartFactor)
    {
        Guard.Positive(warmupSteps, nameof(warmupSteps));
        Guard.Requires(totalSteps, totalSteps > warmupSteps, nameof(totalSteps), $"greater than warmupSteps ({Guard.Show(warmupSteps)})");

        return Sequential(
            [LinearWarmup(learningRate, warmupSteps, startFactor), CosineAnnealing(learningRate, totalSteps - warmupSteps, etaMin)],
            [warmupSteps]);
    }

    /// <summary>
    /// The cosine term every cosine schedule shares: <paramref name="start"/> at angle 0, <paramref name="end"/> at angle π,
    /// end + (start − end)·(1 + cos angle)/2 between.
    /// </summary>
    internal static double CosineBetween(double start, double end, double angle) => end + (start - end) * (1 + Math.Cos(angle)) / 2;

    /// <summary>The schedule's values for steps 0 … <paramref name="steps"/> − 1.</summary>
    public static double[] Values(this Schedule schedule, int steps)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Guard.NonNegative(steps, nameof(steps));
        var values = new double[steps];
        for (var t = 0; t < steps; t++)
        {
            values[t] = schedule(t);
        }

        return values;
    }
}
