using Descent.Optimizers;

namespace Descent.Schedules;

/// <summary>Applies schedules to optimizers.</summary>
public static class ScheduleExtensions
{
    /// <summary>Sets the optimizer's η (and momentum, for a <see cref="CycleSchedule"/> with one) for step <paramref name="step"/>.</summary>
    public static void Apply(this IOptimizer optimizer, Schedule schedule, int step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        optimizer.LearningRate = schedule(step);
    }

    /// <summary>Sets η and, when the optimizer has a momentum and the schedule cycles it, the momentum for step <paramref name="step"/>.</summary>
    public static void Apply(this IOptimizer optimizer, CycleSchedule schedule, int step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        optimizer.LearningRate = schedule.LearningRate(step);
        if (schedule.Momentum is { } momentum && optimizer is IHasMomentum m)
        {
            m.Momentum = momentum(step);
        }
    }
}
