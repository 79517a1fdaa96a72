using System.Globalization;

namespace Descent;

/// <summary>A claim in a notebook that the numbers did not support.</summary>
public sealed class CheckFailedException(string message) : Exception(message);

/// <summary>
/// Assertions for the course notebooks: every quantitative claim in the prose is followed by one of these on the
/// numbers just computed. A failure reads as a sentence naming the claim and the numbers.
/// </summary>
public static class Check
{
    /// <summary>Passes when <paramref name="condition"/> holds; otherwise "Claim failed: {claim}".</summary>
    public static void That(bool condition, string claim)
    {
        if (!condition)
        {
            throw new CheckFailedException($"Claim failed: {claim}");
        }
    }

    /// <summary>Passes when a &lt; b: "Expected {whatA} ({a}) to be less than {whatB} ({b})".</summary>
    public static void Less(double a, double b, string whatA, string whatB)
    {
        if (!(a < b))
        {
            throw new CheckFailedException($"Expected {whatA} ({Show(a)}) to be less than {whatB} ({Show(b)}).");
        }
    }

    /// <summary>Passes when a &gt; b.</summary>
    public static void Greater(double a, double b, string whatA, string whatB)
    {
        if (!(a > b))
        {
            throw new CheckFailedException($"Expected {whatA} ({Show(a)}) to be greater than {whatB} ({Show(b)}).");
        }
    }

    /// <summary>Passes when |actual − expected| ≤ tolerance.</summary>
    public static void Close(double actual, double expected, double tolerance, string what)
    {
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            throw new CheckFailedException(
                $"Expected {what} to be {Show(expected)} ± {Show(tolerance)}, but it was {Show(actual)}.");
        }
    }

    /// <summary>Passes when lo ≤ value ≤ hi.</summary>
    public static void InRange(double value, double lo, double hi, string what)
    {
        if (!(value >= lo && value <= hi))
        {
            throw new CheckFailedException($"Expected {what} to be between {Show(lo)} and {Show(hi)}, but it was {Show(value)}.");
        }
    }

    /// <summary>Passes when every value is finite.</summary>
    public static void Finite(IEnumerable<double> values, string what)
    {
        var i = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new CheckFailedException($"Expected {what} to stay finite, but entry {i} was {Show(v)}.");
            }

            i++;
        }
    }

    /// <summary>Passes when each value is ≤ the one before (strictly less when <paramref name="strictly"/>).</summary>
    public static void Decreasing(IReadOnlyList<double> values, string what, bool strictly = false)
    {
        for (var i = 1; i < values.Count; i++)
        {
            if (strictly ? !(values[i] < values[i - 1]) : !(values[i] <= values[i - 1]))
            {
                throw new CheckFailedException(
                    $"Expected {what} to decrease{(strictly ? " strictly" : string.Empty)}, but entry {i} ({Show(values[i])}) is not below entry {i - 1} ({Show(values[i - 1])}).");
            }
        }
    }

    /// <summary>Passes when the named value with the smallest value is <paramref name="expectedName"/>.</summary>
    public static void Smallest(IReadOnlyDictionary<string, double> named, string expectedName, string what)
    {
        var best = named.MinBy(kv => kv.Value);
        if (best.Key != expectedName)
        {
            var list = string.Join(", ", named.Select(kv => $"{kv.Key}: {Show(kv.Value)}"));
            throw new CheckFailedException($"Expected {expectedName} to have the smallest {what}, but {best.Key} did ({list}).");
        }
    }

    /// <summary>Numbers as the messages show them: 4 significant digits.</summary>
    public static string Show(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
