using System.Globalization;

namespace Descent;

/// <summary>
/// The library's argument checks (optimizers and schedules): each returns the value it accepts and otherwise throws
/// an exception whose message names the parameter and the value, every number written with the invariant culture.
/// </summary>
internal static class Guard
{
    /// <summary>A finite number ≥ 0.</summary>
    public static double NonNegative(double value, string name) => Requires(value, value >= 0 && double.IsFinite(value), name, "a finite number ≥ 0");

    /// <summary>A finite number &gt; 0.</summary>
    public static double Positive(double value, string name) => Requires(value, value > 0 && double.IsFinite(value), name, "a finite number > 0");

    /// <summary>A decay rate in [0, 1).</summary>
    public static double UnitInterval(double value, string name) => Requires(value, value >= 0 && value < 1, name, "in [0, 1)");

    /// <summary>A fraction in (0, 1).</summary>
    public static double OpenUnit(double value, string name) => Requires(value, value > 0 && value < 1, name, "in (0, 1)");

    /// <summary>A count &gt; 0.</summary>
    public static int Positive(int value, string name) => Requires(value, value > 0, name, "> 0");

    /// <summary>A count ≥ 0.</summary>
    public static int NonNegative(int value, string name) => Requires(value, value >= 0, name, "≥ 0");

    /// <summary>A schedule's 0-based step.</summary>
    public static int Step(int step) => Requires(step, step >= 0, nameof(step), "≥ 0");

    /// <summary><paramref name="value"/> when <paramref name="ok"/>, else "<c>name must be what, but was value.</c>"</summary>
    public static double Requires(double value, bool ok, string name, string what) =>
        ok ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be {what}, but was {Show(value)}.");

    /// <summary><paramref name="value"/> when <paramref name="ok"/>, else "<c>name must be what, but was value.</c>"</summary>
    public static int Requires(int value, bool ok, string name, string what) =>
        ok ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be {what}, but was {Show(value)}.");

    /// <summary>Milestones: non-negative and strictly increasing; returns a copy.</summary>
    public static int[] Increasing(IReadOnlyList<int> milestones, string name)
    {
        ArgumentNullException.ThrowIfNull(milestones, name);
        for (var i = 0; i < milestones.Count; i++)
        {
            if (milestones[i] < 0 || (i > 0 && milestones[i] <= milestones[i - 1]))
            {
                throw new ArgumentException(
                    $"{name} must be non-negative and strictly increasing, but were [{string.Join(", ", milestones.Select(m => Show(m)))}].", name);
            }
        }

        return milestones.ToArray();
    }

    /// <summary>A number as messages write it: shortest round-trip form, invariant culture.</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A count as messages write it, invariant culture.</summary>
    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);
}
