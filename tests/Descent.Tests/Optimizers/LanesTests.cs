using System.Runtime.Intrinsics;
using Descent.Optimizers.Fast;

namespace Descent.Tests.Optimizers;

/// <summary>
/// The lane operations whose vector instructions could differ from the scalar ones on special values — max (NaN, ±0),
/// comparisons and masks — on every vector type (accelerated or not), each against <see cref="Lane1"/> and Math.Max.
/// </summary>
public class LanesTests
{
    private static readonly double[] Special =
        [0.0, -0.0, 1.0, -1.0, double.NaN, -double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue];

    [Fact]
    public void Every_vector_type_computes_max_and_masks_as_one_lane_does()
    {
        Check<Lanes512>("Lanes512");
        Check<Lanes256>("Lanes256");
        Check<Lanes128>("Lanes128");
        Check<Lane1>("Lane1");
    }

    [Fact]
    public void The_native_width_is_the_widest_accelerated_vector()
    {
        var expected = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        Assert.Equal(expected, FusedUpdates.NativeBits);
    }

    private static void Check<V>(string name)
        where V : struct, ILanes<V>
    {
        // Every ordered pair of special values, V.Count pairs per vector.
        var a = Special.SelectMany(x => Special.Select(_ => x)).ToArray();
        var b = Special.SelectMany(_ => Special).ToArray();
        var n = (a.Length + V.Count - 1) / V.Count * V.Count;
        Array.Resize(ref a, n);
        Array.Resize(ref b, n);
        var (max, greater, zero) = (new double[n], new double[n], new double[n]);
        for (var i = 0; i < n; i += V.Count)
        {
            var (x, y) = (V.Load(ref a[0], (nuint)i), V.Load(ref b[0], (nuint)i));
            V.Max(x, y).Store(ref max[0], (nuint)i);
            V.Select(V.GreaterThan(x, y), V.Create(1), V.Create(2)).Store(ref greater[0], (nuint)i);
            V.Select(V.IsZero(x), V.Create(1), V.Create(2)).Store(ref zero[0], (nuint)i);
        }

        for (var i = 0; i < n; i++)
        {
            var pair = $"{name}, ({a[i]:R}, {b[i]:R})";
            // The same bits (so +0 above −0), or NaN where Math.Max gives NaN (which NaN is not specified).
            var expected = Math.Max(a[i], b[i]);
            var same = double.IsNaN(expected) ? double.IsNaN(max[i]) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(max[i]);
            Assert.True(same, $"{pair}: max is {max[i]:R}, Math.Max gives {expected:R}");
            Assert.True(a[i] > b[i] == (greater[i] == 1), $"{pair}: greater-than mask wrong");
            Assert.True(a[i] == 0 == (zero[i] == 1), $"{pair}: zero mask wrong");
        }
    }
}
