using MathNet.Numerics.LinearAlgebra;

namespace Descent.Data;

/// <summary>
/// A supervised data set: features X (one row per sample) with class labels (classification) or real targets
/// (regression).
/// </summary>
public sealed record Dataset
{
    /// <summary>Creates a data set; labels and targets, when given, need one entry per row of X.</summary>
    /// <exception cref="ArgumentException">The data set is empty or the lengths disagree.</exception>
    public Dataset(Matrix<double> features, int[]? labels = null, double[]? targets = null, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.RowCount == 0 || features.ColumnCount == 0)
        {
            throw new ArgumentException($"A data set needs at least one sample and one feature, but got {features.RowCount}×{features.ColumnCount}.", nameof(features));
        }

        if (labels is not null && labels.Length != features.RowCount)
        {
            throw new ArgumentException($"{labels.Length} labels for {features.RowCount} samples.", nameof(labels));
        }

        if (targets is not null && targets.Length != features.RowCount)
        {
            throw new ArgumentException($"{targets.Length} targets for {features.RowCount} samples.", nameof(targets));
        }

        Features = features;
        Labels = labels ?? [];
        Targets = targets ?? [];
        FeatureNames = featureNames ?? Enumerable.Range(0, features.ColumnCount).Select(i => $"x{i}").ToArray();
        ClassNames = classNames ?? (labels is null ? [] : labels.Distinct().Order().Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>X: one row per sample.</summary>
    public Matrix<double> Features { get; init; }

    /// <summary>Class labels 0…k−1 (empty for regression).</summary>
    public int[] Labels { get; init; }

    /// <summary>Regression targets (empty for classification).</summary>
    public double[] Targets { get; init; }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>Class names, by label.</summary>
    public IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The number of samples.</summary>
    public int Count => Features.RowCount;

    /// <summary>The number of features.</summary>
    public int FeatureCount => Features.ColumnCount;

    /// <summary>The number of classes (0 for regression).</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The samples at <paramref name="rows"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // One array of row numbers up front: the copy loops below then index an array, not an interface (a training run
        // takes a subset per minibatch).
        var at = rows as int[] ?? rows.ToArray();
        var x = SubsetRows(Features, at);
        return this with
        {
            Features = x,
            Labels = Labels.Length == 0 ? [] : Gather(Labels, at),
            Targets = Targets.Length == 0 ? [] : Gather(Targets, at),
        };
    }

    private static T[] Gather<T>(T[] values, int[] rows)
    {
        var result = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            result[i] = values[rows[i]];
        }

        return result;
    }

    /// <summary>The rows of <paramref name="features"/> at <paramref name="rows"/>, copied column by column.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static Matrix<double> SubsetRows(Matrix<double> features, int[] rows)
    {
        var source = features.AsColumnMajorArray();
        if (source is null)
        {
            return Matrix<double>.Build.Dense(rows.Length, features.ColumnCount, (i, j) => features[rows[i], j]);
        }

        var (n, m, r) = (features.RowCount, features.ColumnCount, rows.Length);
        var values = new double[r * m];
        for (var i = 0; i < r; i++)
        {
            if ((uint)rows[i] >= (uint)n)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"row {rows[i]} is outside 0…{n - 1}.");
            }
        }

        for (var j = 0; j < m; j++)
        {
            var column = source.AsSpan(j * n, n);
            var target = values.AsSpan(j * r, r);
            for (var i = 0; i < r; i++)
            {
                target[i] = column[rows[i]];
            }
        }

        return Matrix<double>.Build.Dense(r, m, values);
    }

    /// <summary>
    /// A seeded split into training and test sets; with <paramref name="stratify"/>, each class is split in the same
    /// proportion.
    /// </summary>
    public (Dataset Train, Dataset Test) Split(double testFraction, int seed, bool stratify = true)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"testFraction must be in (0, 1), but was {testFraction}.");
        }

        var rng = new Random(seed);
        var groups = stratify && Labels.Length > 0
            ? Enumerable.Range(0, Count).GroupBy(i => Labels[i]).OrderBy(g => g.Key).Select(g => g.ToArray())
            : [Enumerable.Range(0, Count).ToArray()];
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in groups)
        {
            rng.Shuffle(group);
            var nTest = (int)Math.Round(group.Length * testFraction);
            test.AddRange(group.Take(nTest));
            train.AddRange(group.Skip(nTest));
        }

        train.Sort();
        test.Sort();
        if (train.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"a test fraction of {testFraction} leaves an empty side for {Count} samples.", nameof(testFraction));
        }

        return (Subset(train), Subset(test));
    }

    /// <summary>Minibatches of one epoch: the rows shuffled with a generator seeded by (seed, epoch); the last batch may be smaller.</summary>
    public IEnumerable<Dataset> Batches(int batchSize, int seed, int epoch)
    {
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be > 0, but was {batchSize}.");
        }

        var order = Enumerable.Range(0, Count).ToArray();
        // A fixed mix of seed and epoch: HashCode.Combine would differ between processes.
        new Random(unchecked((seed * 1_000_003) + epoch)).Shuffle(order);
        for (var start = 0; start < Count; start += batchSize)
        {
            yield return Subset(order[start..Math.Min(start + batchSize, Count)]);
        }
    }

    /// <summary>The number of minibatches per epoch: ⌈n / batch⌉.</summary>
    public int BatchesPerEpoch(int batchSize) => (Count + batchSize - 1) / batchSize;
}
