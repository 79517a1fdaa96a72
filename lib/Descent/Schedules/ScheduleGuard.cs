using System.Globalization;

namespace Descent.Schedules;

/// <summary>Argument checks whose messages name the parameter and the value.</summary>
internal static class ScheduleGuard
{
    public static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw Out(name, value, "a finite number ≥ 0");

    public static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw Out(name, value, "a finite number > 0");

    public static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0, but was {value}.");

    public static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be ≥ 0, but was {value}.");

    public static double OpenUnit(double value, string name) =>
        value > 0 && value < 1 ? value : throw Out(name, value, "in (0, 1)");

    public static int Step(int step) =>
        step >= 0 ? step : throw new ArgumentOutOfRangeException(nameof(step), step, $"step must be ≥ 0, but was {step}.");

    public static int[] Increasing(IReadOnlyList<int> milestones, string name)
    {
        ArgumentNullException.ThrowIfNull(milestones, name);
        for (var i = 0; i < milestones.Count; i++)
        {
            if (milestones[i] < 0 || (i > 0 && milestones[i] <= milestones[i - 1]))
            {
                throw new ArgumentException(
                    $"{name} must be non-negative and strictly increasing, but were [{string.Join(", ", milestones)}].", name);
            }
        }

        return milestones.ToArray();
    }

    private static ArgumentOutOfRangeException Out(string name, double value, string what) =>
        new(name, value, $"{name} must be {what}, but was {value.ToString("R", CultureInfo.InvariantCulture)}.");
}
