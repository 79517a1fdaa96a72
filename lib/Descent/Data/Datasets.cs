using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;

namespace Descent.Data;

/// <summary>The course's data: the CSV files in data/ and seeded synthetic generators.</summary>
public static class Datasets
{
    /// <summary>8×8 handwritten digits (1797 samples, 64 pixel features 0…16, 10 classes).</summary>
    public static Dataset Digits() => LoadCsv(FindDataFile("digits.csv"), "label");

    /// <summary>Breast cancer Wisconsin (569 samples, 30 features, 0 = malignant, 1 = benign).</summary>
    public static Dataset BreastCancer() => LoadCsv(FindDataFile("breast_cancer.csv"), "target");

    /// <summary>Fisher's iris (150 samples, 4 features, 3 species).</summary>
    public static Dataset Iris() => LoadCsv(FindDataFile("iris.csv"), "species");

    /// <summary>
    /// Finds data/<paramref name="fileName"/> by walking up from the current folder and from the program's folder, so
    /// it works from notebooks/, the repository root and test output folders.
    /// </summary>
    /// <exception cref="FileNotFoundException">No data folder above holds the file.</exception>
    public static string FindDataFile(string fileName)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"data/{fileName} was not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}.", fileName);
    }

    /// <summary>
    /// Reads a CSV with a header row; <paramref name="labelColumn"/> holds the class (integers, or names mapped to
    /// 0…k−1 in sorted order); every other column must be numeric.
    /// </summary>
    /// <exception cref="FormatException">A bad number, ragged row or empty file: the message names file, line and column.</exception>
    /// <exception cref="ArgumentException">The label column does not exist.</exception>
    public static Dataset LoadCsv(string path, string labelColumn)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2)
        {
            throw new FormatException($"{path}: no data rows (a header and at least one row are needed).");
        }

        var header = lines[0].Split(',');
        var labelIndex = Array.IndexOf(header, labelColumn);
        if (labelIndex < 0)
        {
            throw new ArgumentException($"{path}: no column '{labelColumn}'; the columns are {string.Join(", ", header)}.", nameof(labelColumn));
        }

        var features = new double[lines.Length - 1, header.Length - 1];
        var rawLabels = new string[lines.Length - 1];
        for (var r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            if (cells.Length != header.Length)
            {
                throw new FormatException($"{path}, line {r + 1}: {cells.Length} values, but the header has {header.Length} columns.");
            }

            var j = 0;
            for (var c = 0; c < cells.Length; c++)
            {
                if (c == labelIndex)
                {
                    rawLabels[r - 1] = cells[c].Trim();
                    continue;
                }

                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new FormatException($"{path}, line {r + 1}, column '{header[c]}': '{cells[c]}' is not a number.");
                }

                features[r - 1, j++] = value;
            }
        }

        var numeric = rawLabels.All(l => int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        string[] classNames = numeric
            ? rawLabels.Select(l => int.Parse(l, CultureInfo.InvariantCulture)).Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()
            : rawLabels.Distinct().Order(StringComparer.Ordinal).ToArray();
        var labels = rawLabels.Select(l => Array.IndexOf(classNames, numeric ? int.Parse(l, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : l)).ToArray();
        var names = header.Where((_, c) => c != labelIndex).ToArray();
        return new Dataset(Matrix<double>.Build.DenseOfArray(features), labels, null, names, classNames);
    }

    /// <summary>Two interleaving half circles with Gaussian noise (2 classes).</summary>
    public static Dataset TwoMoons(int samples, double noise, int seed)
    {
        Positive(samples, nameof(samples));
        var normal = new Normal(0, 1, new Xoshiro256StarStar(seed));
        var x = Matrix<double>.Build.Dense(samples, 2);
        var labels = new int[samples];
        for (var i = 0; i < samples; i++)
        {
            var upper = i < samples / 2;
            var t = Math.PI * (upper ? i / Math.Max(samples / 2.0 - 1, 1) : (i - samples / 2) / Math.Max(samples - samples / 2 - 1.0, 1));
            x[i, 0] = (upper ? Math.Cos(t) : 1 - Math.Cos(t)) + noise * normal.Sample();
            x[i, 1] = (upper ? Math.Sin(t) : 0.5 - Math.Sin(t)) + noise * normal.Sample();
            labels[i] = upper ? 0 : 1;
        }

        return new Dataset(x, labels, null, ["x", "y"], ["upper", "lower"]);
    }

    /// <summary>Interleaved spirals, one per class, with Gaussian noise.</summary>
    public static Dataset Spirals(int samplesPerClass, int classes, double noise, int seed)
    {
        Positive(samplesPerClass, nameof(samplesPerClass));
        Positive(classes, nameof(classes));
        var normal = new Normal(0, 1, new Xoshiro256StarStar(seed));
        var n = samplesPerClass * classes;
        var x = Matrix<double>.Build.Dense(n, 2);
        var labels = new int[n];
        for (var c = 0; c < classes; c++)
        {
            for (var i = 0; i < samplesPerClass; i++)
            {
                var r = (double)i / samplesPerClass;
                var angle = c * 2 * Math.PI / classes + 4 * r + noise * normal.Sample();
                var row = c * samplesPerClass + i;
                x[row, 0] = r * Math.Sin(angle);
                x[row, 1] = r * Math.Cos(angle);
                labels[row] = c;
            }
        }

        return new Dataset(x, labels, null, ["x", "y"], Enumerable.Range(0, classes).Select(c => $"arm {c}").ToArray());
    }

    /// <summary>y = X·w + b + σ·ξ with X ~ N(0, 1) and w, b drawn from N(0, 1), all seeded; returns the data and the true (w, b).</summary>
    public static (Dataset Data, double[] Weights, double Bias) NoisyLinear(int samples, int features, double noise, int seed)
    {
        Positive(samples, nameof(samples));
        Positive(features, nameof(features));
        var normal = new Normal(0, 1, new Xoshiro256StarStar(seed));
        var w = Enumerable.Range(0, features).Select(_ => normal.Sample()).ToArray();
        var b = normal.Sample();
        var x = Matrix<double>.Build.Dense(samples, features, (_, _) => normal.Sample());
        var y = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var s = b;
            for (var j = 0; j < features; j++)
            {
                s += x[i, j] * w[j];
            }

            y[i] = s + noise * normal.Sample();
        }

        return (new Dataset(x, null, y), w, b);
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0, but was {value}.");
        }
    }
}
