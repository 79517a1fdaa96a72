using MathNet.Numerics.LinearAlgebra;

namespace Descent.Data;

/// <summary>Per-feature standardisation z = (x − mean)/std, fitted on training data and applied to any data.</summary>
public sealed class Standardizer
{
    private Standardizer(double[] means, double[] scales)
    {
        Means = means;
        Scales = scales;
    }

    /// <summary>The fitted means.</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>The fitted standard deviations (1 for constant columns, which are only centred).</summary>
    public IReadOnlyList<double> Scales { get; }

    /// <summary>Fits means and standard deviations on <paramref name="data"/>.</summary>
    public static Standardizer Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var x = data.Features;
        var means = new double[x.ColumnCount];
        var scales = new double[x.ColumnCount];
        for (var j = 0; j < x.ColumnCount; j++)
        {
            var column = x.Column(j);
            means[j] = column.Average();
            var variance = column.Select(v => (v - means[j]) * (v - means[j])).Average();
            scales[j] = variance > 1e-24 ? Math.Sqrt(variance) : 1.0;
        }

        return new Standardizer(means, scales);
    }

    /// <summary>The standardised copy of <paramref name="data"/>.</summary>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != Means.Count)
        {
            throw new ArgumentException($"fitted on {Means.Count} features, but the data has {data.FeatureCount}.", nameof(data));
        }

        var x = Matrix<double>.Build.Dense(data.Count, data.FeatureCount, (i, j) => (data.Features[i, j] - Means[j]) / Scales[j]);
        return data with { Features = x };
    }

    /// <summary>Fits on <paramref name="train"/> and transforms both sets.</summary>
    public static (Dataset Train, Dataset Test) FitTransform(Dataset train, Dataset test)
    {
        var s = Fit(train);
        return (s.Transform(train), s.Transform(test));
    }
}
