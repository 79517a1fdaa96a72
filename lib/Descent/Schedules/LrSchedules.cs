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
        ScheduleGuard.NonNegative(learningRate, nameof(learningRate));
        return step => { ScheduleGuard.Step(step); return learningRate; };
    }

    /// <summary>torch StepLR: η_t = η₀·γ^⌊t/stepSize⌋.</summary>
    public static Schedule Step(double baseLearningRate, int stepSize, double gamma = 0.1)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        ScheduleGuard.Positive(stepSize, nameof(stepSize));
        ScheduleGuard.Positive(gamma, nameof(gamma));
        return step => baseLearningRate * Math.Pow(gamma, ScheduleGuard.Step(step) / stepSize);
    }

    /// <summary>torch MultiStepLR: η_t = η₀·γ^(number of milestones ≤ t).</summary>
    public static Schedule MultiStep(double baseLearningRate, IReadOnlyList<int> milestones, double gamma = 0.1)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        var ms = ScheduleGuard.Increasing(milestones, nameof(milestones));
        ScheduleGuard.Positive(gamma, nameof(gamma));
        return step =>
        {
            ScheduleGuard.Step(step);
            var passed = ms.Count(m => m <= step);
            return baseLearningRate * Math.Pow(gamma, passed);
        };
    }

    /// <summary>torch ExponentialLR: η_t = η₀·γ^t.</summary>
    public static Schedule Exponential(double baseLearningRate, double gamma)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        ScheduleGuard.Positive(gamma, nameof(gamma));
        return step => baseLearningRate * Math.Pow(gamma, ScheduleGuard.Step(step));
    }

    /// <summary>
    /// torch LinearLR: η_t = η₀·(s + (e − s)·min(t, T)/T), from η₀·s to η₀·e over T steps. With s &lt; e it is a
    /// linear warmup.
    /// </summary>
    public static Schedule Linear(double baseLearningRate, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, $"startFactor must be in (0, 1], but was {startFactor}.");
        }

        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, $"endFactor must be in [0, 1], but was {endFactor}.");
        }

        ScheduleGuard.Positive(totalIters, nameof(totalIters));
        return step =>
        {
            var t = Math.Min(ScheduleGuard.Step(step), totalIters);
            return baseLearningRate * (startFactor + (endFactor - startFactor) * t / totalIters);
        };
    }

    /// <summary>A linear warmup from η·startFactor to η over <paramref name="warmupSteps"/> steps, then η (torch LinearLR).</summary>
    public static Schedule LinearWarmup(double learningRate, int warmupSteps, double startFactor = 0.01) =>
        Linear(learningRate, startFactor, 1.0, warmupSteps);

    /// <summary>torch ConstantLR: η_t = η₀·factor for t &lt; T, then η₀.</summary>
    public static Schedule ConstantFactor(double baseLearningRate, double factor = 1.0 / 3, int totalIters = 5)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        if (!(factor >= 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must be in [0, 1], but was {factor}.");
        }

        ScheduleGuard.NonNegative(totalIters, nameof(totalIters));
        return step => ScheduleGuard.Step(step) < totalIters ? baseLearningRate * factor : baseLearningRate;
    }

    /// <summary>torch PolynomialLR: η_t = η₀·(1 − min(t, T)/T)^power; 0 from t = T on.</summary>
    public static Schedule Polynomial(double baseLearningRate, int totalIters = 5, double power = 1.0)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        ScheduleGuard.Positive(totalIters, nameof(totalIters));
        ScheduleGuard.NonNegative(power, nameof(power));
        return step => baseLearningRate * Math.Pow(1.0 - (double)Math.Min(ScheduleGuard.Step(step), totalIters) / totalIters, power);
    }

    /// <summary>
    /// torch CosineAnnealingLR: η_t = η_min + (η₀ − η_min)·(1 + cos(π·t/T_max))/2. Not clamped after T_max: the
    /// cosine carries on and the rate rises back towards η₀, as in torch.
    /// </summary>
    public static Schedule CosineAnnealing(double baseLearningRate, int tMax, double etaMin = 0.0)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        ScheduleGuard.Positive(tMax, nameof(tMax));
        ScheduleGuard.NonNegative(etaMin, nameof(etaMin));
        return step => etaMin + (baseLearningRate - etaMin) * (1 + Math.Cos(Math.PI * ScheduleGuard.Step(step) / tMax)) / 2;
    }

    /// <summary>
    /// torch CosineAnnealingWarmRestarts (SGDR): a cosine from η₀ down towards η_min over T_i steps, then a restart;
    /// T₀ = <paramref name="t0"/>, T_{i+1} = T_i·T_mult.
    /// </summary>
    public static Schedule CosineWarmRestarts(double baseLearningRate, int t0, int tMult = 1, double etaMin = 0.0)
    {
        ScheduleGuard.NonNegative(baseLearningRate, nameof(baseLearningRate));
        ScheduleGuard.Positive(t0, nameof(t0));
        ScheduleGuard.Positive(tMult, nameof(tMult));
        ScheduleGuard.NonNegative(etaMin, nameof(etaMin));
        return step =>
        {
            var (tCur, tI) = WarmRestartPosition(ScheduleGuard.Step(step), t0, tMult);
            return etaMin + (baseLearningRate - etaMin) * (1 + Math.Cos(Math.PI * tCur / tI)) / 2;
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
    public static IReadOnlyList<int> WarmRestartSteps(int steps, int t0, int tMult = 1)
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
        var ms = ScheduleGuard.Increasing(milestones, nameof(milestones));
        if (schedules.Count != ms.Length + 1)
        {
            throw new ArgumentException(
                $"Sequential needs one more schedule than milestones, but got {schedules.Count} schedules and {ms.Length} milestones.",
                nameof(milestones));
        }

        var parts = schedules.ToArray();
        return step =>
        {
            ScheduleGuard.Step(step);
            var k = 0;
            while (k < ms.Length && step >= ms[k])
            {
                k++;
            }

            return parts[k](k == 0 ? step : step - ms[k - 1]);
        };
    }

    /// <summary>Linear warmup over <paramref name="warmupSteps"/> (from η·startFactor), then cosine annealing to η_min over the rest.</summary>
    public static Schedule WarmupCosine(double learningRate, int warmupSteps, int totalSteps, double etaMin = 0.0, double startFactor = 0.01)
    {
        ScheduleGuard.Positive(warmupSteps, nameof(warmupSteps));
        if (totalSteps <= warmupSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"totalSteps must exceed warmupSteps ({warmupSteps}), but was {totalSteps}.");
        }

        return Sequential(
            [LinearWarmup(learningRate, warmupSteps, startFactor), CosineAnnealing(learningRate, totalSteps - warmupSteps, etaMin)],
            [warmupSteps]);
    }

    /// <summary>The schedule's values for steps 0 … <paramref name="steps"/> − 1.</summary>
    public static double[] Values(this Schedule schedule, int steps)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ScheduleGuard.NonNegative(steps, nameof(steps));
        var values = new double[steps];
        for (var t = 0; t < steps; t++)
        {
            values[t] = schedule(t);
        }

        return values;
    }
}
