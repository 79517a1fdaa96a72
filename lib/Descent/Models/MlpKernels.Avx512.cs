using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Models;

/// <summary>The 512-bit blocks of <see cref="MlpKernels"/>' products, used where AVX-512 is accelerated: the same sums, eight entries per instruction.</summary>
internal static partial class MlpKernels
{
    /// <summary>
    /// The 512-bit blocks of 2·8 rows of <see cref="CombineColumns"/> for output columns c … c+3 (the same sums, eight
    /// entries per instruction); returns the first row it did not compute.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CombineColumns512(ref double xr, int n, int m, ref double wr, int w0, int w1, int w2, int w3, int termStride, ref double or, int c)
    {
        var w = Vector512<double>.Count;
        var i = 0;
        for (; i <= n - (2 * w); i += 2 * w)
        {
            var (s00, s01, s10, s11) = (Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero);
            var (s20, s21, s30, s31) = (Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero);
            for (var k = 0; k < m; k++)
            {
                ref var col = ref Unsafe.Add(ref xr, (k * n) + i);
                var x0 = Vector512.LoadUnsafe(ref col);
                var x1 = Vector512.LoadUnsafe(ref col, (nuint)w);
                var t = k * termStride;
                var b0 = Vector512.Create(Unsafe.Add(ref wr, w0 + t));
                var b1 = Vector512.Create(Unsafe.Add(ref wr, w1 + t));
                var b2 = Vector512.Create(Unsafe.Add(ref wr, w2 + t));
                var b3 = Vector512.Create(Unsafe.Add(ref wr, w3 + t));
                s00 += x0 * b0;
                s01 += x1 * b0;
                s10 += x0 * b1;
                s11 += x1 * b1;
                s20 += x0 * b2;
                s21 += x1 * b2;
                s30 += x0 * b3;
                s31 += x1 * b3;
            }

            Store(ref or, (c * n) + i, s00, s01);
            Store(ref or, ((c + 1) * n) + i, s10, s11);
            Store(ref or, ((c + 2) * n) + i, s20, s21);
            Store(ref or, ((c + 3) * n) + i, s30, s31);
        }

        return i;
    }

    /// <summary>
    /// The 512-bit blocks of 2·8 entries j of <see cref="TransposeThisTimes"/> for columns k … k+3 of G (the same sums,
    /// eight entries per instruction); returns the first j it did not compute.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TransposeThisTimes512(ref double dr, ref double ar, int n, int q, ref double gr, int k)
    {
        var w = Vector512<double>.Count;
        var j = 0;
        for (; j <= q - (2 * w); j += 2 * w)
        {
            var (s00, s01, s10, s11) = (Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero);
            var (s20, s21, s30, s31) = (Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero);
            for (var i = 0; i < n; i++)
            {
                ref var row = ref Unsafe.Add(ref dr, (i * q) + j);
                var d0 = Vector512.LoadUnsafe(ref row);
                var d1 = Vector512.LoadUnsafe(ref row, (nuint)w);
                var b0 = Vector512.Create(Unsafe.Add(ref ar, (k * n) + i));
                var b1 = Vector512.Create(Unsafe.Add(ref ar, ((k + 1) * n) + i));
                var b2 = Vector512.Create(Unsafe.Add(ref ar, ((k + 2) * n) + i));
                var b3 = Vector512.Create(Unsafe.Add(ref ar, ((k + 3) * n) + i));
                s00 += d0 * b0;
                s01 += d1 * b0;
                s10 += d0 * b1;
                s11 += d1 * b1;
                s20 += d0 * b2;
                s21 += d1 * b2;
                s30 += d0 * b3;
                s31 += d1 * b3;
            }

            Store(ref gr, (k * q) + j, s00, s01);
            Store(ref gr, ((k + 1) * q) + j, s10, s11);
            Store(ref gr, ((k + 2) * q) + j, s20, s21);
            Store(ref gr, ((k + 3) * q) + j, s30, s31);
        }

        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref double output, int at, Vector512<double> s0, Vector512<double> s1)
    {
        ref var dst = ref Unsafe.Add(ref output, at);
        (Vector512<double>.Zero + s0).StoreUnsafe(ref dst);
        (Vector512<double>.Zero + s1).StoreUnsafe(ref dst, (nuint)Vector512<double>.Count);
    }
}
