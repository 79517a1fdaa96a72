using Descent.Models;
using Descent.Tests.Optimizers;
using MathNet.Numerics.LinearAlgebra;

namespace Descent.Tests.Models;

/// <summary>
/// Each product of <see cref="MlpKernels"/> at every vector width this machine runs (512, 256, 128 bits and one element
/// at a time, each forced) against MathNet's managed product, bit for bit, for shapes that leave every kind of remainder
/// (rows and columns that fill no whole block or vector). Entries span sixteen orders of magnitude, so a sum taken in
/// another order, split, or fused would change bits.
/// </summary>
public class MlpKernelsTests
{
    private static readonly int[] Rows = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40];
    private static readonly int[] Sizes = [1, 2, 3, 4, 5, 9, 17];

    public static TheoryData<int> Widths() => new(FastPathTests.Widths);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Products_equal_MathNet_bit_for_bit(int bits)
    {
        var rng = new Random(bits + 1);
        foreach (var n in Rows)
        {
            foreach (var p in Sizes)
            {
                foreach (var q in Sizes)
                {
                    var where = $"{bits}-bit path, n = {n}, p = {p}, q = {q}";

                    // Z = A·Wᵀ (A n×p, W q×p) and Y = D·W (D n×q, W q×p).
                    var a = RandomMatrix(rng, n, p);
                    var w = RandomMatrix(rng, q, p);
                    var d = RandomMatrix(rng, n, q);
                    var z = new double[n * q];
                    MlpKernels.TimesTransposed(a.ToColumnMajorArray(), w.ToColumnMajorArray(), n, p, q, z, bits);
                    AssertSameBits($"A·Wᵀ, {where}", a.TransposeAndMultiply(w).ToColumnMajorArray(), z);
                    var y = new double[n * p];
                    MlpKernels.Times(d.ToColumnMajorArray(), w.ToColumnMajorArray(), n, q, p, y, bits);
                    AssertSameBits($"D·W, {where}", (d * w).ToColumnMajorArray(), y);

                    // G = Dᵀ·A and the column sums of D, D given as rows.
                    var g = new double[q * p];
                    MlpKernels.TransposeThisTimes(d.ToRowMajorArray(), a.ToColumnMajorArray(), n, q, p, g, bits);
                    AssertSameBits($"Dᵀ·A, {where}", d.TransposeThisAndMultiply(a).ToColumnMajorArray(), g);
                    var sums = new double[q];
                    MlpKernels.ColumnSums(d.ToRowMajorArray(), n, q, sums, bits);
                    var expected = Enumerable.Range(0, q).Select(j => Enumerable.Range(0, n).Aggregate(0.0, (s, i) => s + d[i, j])).ToArray();
                    AssertSameBits($"column sums, {where}", expected, sums);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Relu_derivative_equals_the_scalar_rule_bit_for_bit(int bits)
    {
        var rng = new Random(bits + 2);
        double[] special = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon];
        foreach (var n in new[] { 1, 2, 3, 5, 8, 9, 17, 33, 100 })
        {
            var v = Enumerable.Range(0, n).Select(_ => rng.Next(4) == 0 ? special[rng.Next(special.Length)] : (rng.NextDouble() * 4) - 2).ToArray();
            var z = Enumerable.Range(0, n).Select(_ => rng.Next(4) == 0 ? special[rng.Next(special.Length)] : (rng.NextDouble() * 4) - 2).ToArray();
            var expected = v.Select((x, i) => x * (z[i] > 0 ? 1 : 0)).ToArray();
            MlpKernels.ReluDerivativeInPlace(v, z, bits);
            AssertSameBits($"ReLU derivative, {bits}-bit path, n = {n}", expected, v);
        }
    }

    /// <summary>Entries from ±1e-8 to ±1e8, with exact zeros of both signs.</summary>
    private static Matrix<double> RandomMatrix(Random rng, int rows, int columns) =>
        Matrix<double>.Build.Dense(rows, columns, (_, _) => rng.Next(12) switch
        {
            0 => 0.0,
            1 => -0.0,
            _ => ((rng.NextDouble() * 2) - 1) * Math.Pow(10, rng.Next(-8, 9)),
        });

    private static void AssertSameBits(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{what}: entry {i} is {actual[i]:R}, MathNet gives {expected[i]:R}");
            }
        }
    }
}
