using System.Globalization;

namespace Descent.Optimizers;

/// <summary>Argument checks whose messages name the parameter and the value.</summary>
internal static class Guard
{
    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0, but was {Show(value)}.");
        }

        return value;
    }

    public static double Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, but was {Show(value)}.");
        }

        return value;
    }

    /// <summary>A decay rate in [0, 1).</summary>
    public static double UnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), but was {Show(value)}.");
        }

        return value;
    }

    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
