namespace Descent.Schedules;

/// <summary>Whether a lower or a higher metric is better.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss).</summary>
    Min,

    /// <summary>Higher is better (an accuracy).</summary>
    Max,
}

/// <summary>How the improvement threshold is measured.</summary>
public enum ThresholdMode
{
    /// <summary>Relative: better than best·(1 ∓ threshold).</summary>
    Relative,

    /// <summary>Absolute: better than best ∓ threshold.</summary>
    Absolute,
}

/// <summary>
/// torch ReduceLROnPlateau: multiplies the rate by <see cref="Factor"/> when the metric has not improved for more than
/// <see cref="Patience"/> consecutive reports, then waits <see cref="Cooldown"/> reports. Stateful, unlike the
/// function schedules: feed it one metric per epoch with <see cref="Report"/>.
/// </summary>
public sealed class ReduceOnPlateau
{
    private int _cooldownCounter;

    /// <summary>Creates the scheduler starting at <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it.</exception>
    public ReduceOnPlateau(
        double learningRate,
        PlateauMode mode = PlateauMode.Min,
        double factor = ScheduleDefaults.ReduceOnPlateau.Factor,
        int patience = ScheduleDefaults.ReduceOnPlateau.Patience,
        double threshold = ScheduleDefaults.ReduceOnPlateau.Threshold,
        ThresholdMode thresholdMode = ThresholdMode.Relative,
        int cooldown = ScheduleDefaults.ReduceOnPlateau.Cooldown,
        double minLearningRate = ScheduleDefaults.ReduceOnPlateau.MinLearningRate,
        double eps = ScheduleDefaults.ReduceOnPlateau.Eps)
    {
        LearningRate = Guard.NonNegative(learningRate, nameof(learningRate));
        Mode = mode;
        Factor = Guard.OpenUnit(factor, nameof(factor));
        Patience = Guard.NonNegative(patience, nameof(patience));
        Threshold = Guard.NonNegative(threshold, nameof(threshold));
        ThresholdMode = thresholdMode;
        Cooldown = Guard.NonNegative(cooldown, nameof(cooldown));
        MinLearningRate = Guard.NonNegative(minLearningRate, nameof(minLearningRate));
        Eps = Guard.NonNegative(eps, nameof(eps));
        Best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The current rate.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Lower or higher is better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>How many non-improving reports are tolerated.</summary>
    public int Patience { get; }

    /// <summary>The improvement threshold.</summary>
    public double Threshold { get; }

    /// <summary>Relative or absolute threshold.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Reports to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>Reductions smaller than this are skipped.</summary>
    public double Eps { get; }

    /// <summary>The best metric so far.</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive non-improving reports.</summary>
    public int BadReports { get; private set; }

    /// <summary>Reports one metric value; returns the (possibly reduced) rate for the next epoch.</summary>
    public double Report(double metric)
    {
        if (IsBetter(metric))
        {
            Best = metric;
            BadReports = 0;
        }
        else
        {
            BadReports++;
        }

        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            BadReports = 0;
        }

        if (BadReports > Patience)
        {
            var reduced = Math.Max(LearningRate * Factor, MinLearningRate);
            if (LearningRate - reduced > Eps)
            {
                LearningRate = reduced;
            }

            _cooldownCounter = Cooldown;
            BadReports = 0;
        }

        return LearningRate;
    }

    private bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < Best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => metric < Best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => metric > Best * (1 + Threshold),
        _ => metric > Best + Threshold,
    };
}
