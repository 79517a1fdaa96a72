using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Models;

/// <summary>
/// The matrix products of <see cref="Mlp"/> on column-major arrays (entry (i, j) of an r-row matrix at j·r + i), written
/// into buffers the caller owns. Each entry is the sum Σₖ xₖ·yₖ started at 0 and taken in order k = 0, 1, …, then added to
/// 0 — the arithmetic of MathNet's managed provider — so results equal MathNet's products bit for bit. The vector loops
/// compute four (256-bit) or, where AVX-512 is accelerated, eight (512-bit) independent entries per instruction (never
/// splitting one sum) and use no fused multiply-add.
/// </summary>
internal static partial class MlpKernels
{
    private static readonly int W = Vector256<double>.Count;

    /// <summary>x ← (1/n)·x, as MathNet's Matrix.Divide(n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(Span<double> x, int n)
    {
        var s = 1.0 / n;
        if (s == 1.0)
        {
            return;
        }

        for (var i = 0; i < x.Length; i++)
        {
            x[i] = s * x[i];
        }
    }

    /// <summary>Z = A·Wᵀ with A n×p and W q×p: Z[i, j] = Σₖ A[i, k]·W[j, k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TimesTransposed(double[] a, double[] w, int n, int p, int q, double[] z) =>
        // Output column j combines the columns of A with W[j, k], stored at k·q + j.
        CombineColumns(a, n, p, w, columnStride: 1, termStride: q, q, z);

    /// <summary>Y = D·W with D n×q and W q×p: Y[i, k] = Σⱼ D[i, j]·W[j, k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Times(double[] d, double[] w, int n, int q, int p, double[] y) =>
        // Output column k combines the columns of D with W[j, k], stored at k·q + j.
        CombineColumns(d, n, q, w, columnStride: q, termStride: 1, p, y);

    /// <summary>
    /// out[c·n + i] = 0 + Σₖ x[k·n + i]·w[c·columnStride + k·termStride] (k = 0 … m−1 in order) for every output column
    /// c &lt; columns and row i &lt; n: each output column a combination of the m columns of the n×m matrix x. Vectorised over
    /// rows; four output columns at a time share each load of x (register blocking), which changes no sum's order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineColumns(double[] x, int n, int m, double[] w, int columnStride, int termStride, int columns, double[] output)
    {
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref var or = ref MemoryMarshal.GetArrayDataReference(output);
        var c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= columns - 4; c += 4)
            {
                var (w0, w1, w2, w3) = (c * columnStride, (c + 1) * columnStride, (c + 2) * columnStride, (c + 3) * columnStride);
                var i = Vector512.IsHardwareAccelerated ? CombineColumns512(ref xr, n, m, ref wr, w0, w1, w2, w3, termStride, ref or, c) : 0;
                for (; i <= n - (2 * W); i += 2 * W)
                {
                    var (s00, s01, s10, s11) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
                    var (s20, s21, s30, s31) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
                    for (var k = 0; k < m; k++)
                    {
                        ref var col = ref Unsafe.Add(ref xr, (k * n) + i);
                        var x0 = Vector256.LoadUnsafe(ref col);
                        var x1 = Vector256.LoadUnsafe(ref col, (nuint)W);
                        var t = k * termStride;
                        var b0 = Vector256.Create(Unsafe.Add(ref wr, w0 + t));
                        var b1 = Vector256.Create(Unsafe.Add(ref wr, w1 + t));
                        var b2 = Vector256.Create(Unsafe.Add(ref wr, w2 + t));
                        var b3 = Vector256.Create(Unsafe.Add(ref wr, w3 + t));
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

                for (var cc = c; cc < c + 4; cc++)
                {
                    CombineColumnRows(x, n, m, w, cc * columnStride, termStride, output, cc * n, i);
                }
            }
        }

        for (; c < columns; c++)
        {
            CombineColumnRows(x, n, m, w, c * columnStride, termStride, output, c * n, 0);
        }
    }

    /// <summary>One output column of <see cref="CombineColumns"/> from row <paramref name="from"/> on: a vector of rows at a time, then row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineColumnRows(double[] x, int n, int m, double[] w, int w0, int termStride, double[] output, int o, int from)
    {
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
        var i = from;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - W; i += W)
            {
                var s = Vector256<double>.Zero;
                for (var k = 0; k < m; k++)
                {
                    s += Vector256.LoadUnsafe(ref Unsafe.Add(ref xr, (k * n) + i)) * Vector256.Create(Unsafe.Add(ref wr, w0 + (k * termStride)));
                }

                (Vector256<double>.Zero + s).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(output), (nuint)(o + i));
            }
        }

        for (; i < n; i++)
        {
            var s = 0.0;
            for (var k = 0; k < m; k++)
            {
                s += x[(k * n) + i] * w[w0 + (k * termStride)];
            }

            output[o + i] = 0.0 + s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref double output, int at, Vector256<double> s0, Vector256<double> s1)
    {
        ref var dst = ref Unsafe.Add(ref output, at);
        (Vector256<double>.Zero + s0).StoreUnsafe(ref dst);
        (Vector256<double>.Zero + s1).StoreUnsafe(ref dst, (nuint)W);
    }

    /// <summary>Z[i, j] += b[j] for the n×b.Length matrix Z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRowVector(double[] z, int n, double[] b)
    {
        for (var j = 0; j < b.Length; j++)
        {
            var column = z.AsSpan(j * n, n);
            var bj = b[j];
            for (var i = 0; i < column.Length; i++)
            {
                column[i] += bj;
            }
        }
    }

    /// <summary>The n×m column-major matrix x as m-wide rows (row-major) in <paramref name="rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(double[] x, int n, int m, double[] rows)
    {
        for (var j = 0; j < m; j++)
        {
            for (var i = 0; i < n; i++)
            {
                rows[(i * m) + j] = x[(j * n) + i];
            }
        }
    }

    /// <summary>
    /// G = Dᵀ·A with D n×q given as rows (<paramref name="dRows"/>, row-major) and A n×p column-major:
    /// G[j, k] = Σᵢ D[i, j]·A[i, k], a q×p column-major matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeThisTimes(double[] dRows, double[] a, int n, int q, int p, double[] g)
    {
        // Vectorised over j: column k of G combines the rows of D with A[i, k]; four columns k share each load of a row.
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dRows);
        ref var ar = ref MemoryMarshal.GetArrayDataReference(a);
        ref var gr = ref MemoryMarshal.GetArrayDataReference(g);
        var k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= p - 4; k += 4)
            {
                var j = Vector512.IsHardwareAccelerated ? TransposeThisTimes512(ref dr, ref ar, n, q, ref gr, k) : 0;
                for (; j <= q - (2 * W); j += 2 * W)
                {
                    var (s00, s01, s10, s11) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
                    var (s20, s21, s30, s31) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
                    for (var i = 0; i < n; i++)
                    {
                        ref var row = ref Unsafe.Add(ref dr, (i * q) + j);
                        var d0 = Vector256.LoadUnsafe(ref row);
                        var d1 = Vector256.LoadUnsafe(ref row, (nuint)W);
                        var b0 = Vector256.Create(Unsafe.Add(ref ar, (k * n) + i));
                        var b1 = Vector256.Create(Unsafe.Add(ref ar, ((k + 1) * n) + i));
                        var b2 = Vector256.Create(Unsafe.Add(ref ar, ((k + 2) * n) + i));
                        var b3 = Vector256.Create(Unsafe.Add(ref ar, ((k + 3) * n) + i));
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

                for (var kk = k; kk < k + 4; kk++)
                {
                    CombineRows(dRows, n, q, a, kk * n, g, kk * q, j);
                }
            }
        }

        for (; k < p; k++)
        {
            CombineRows(dRows, n, q, a, k * n, g, k * q, 0);
        }
    }

    /// <summary>s[j] = Σᵢ D[i, j] (from 0, in order of i) with D n×q given as rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums(double[] dRows, int n, int q, double[] s)
    {
        var j = 0;
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dRows);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= q - W; j += W)
            {
                var acc = Vector256<double>.Zero;
                for (var i = 0; i < n; i++)
                {
                    acc += Vector256.LoadUnsafe(ref Unsafe.Add(ref dr, (i * q) + j));
                }

                acc.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(s), (nuint)j);
            }
        }

        for (; j < q; j++)
        {
            var acc = 0.0;
            for (var i = 0; i < n; i++)
            {
                acc += dRows[(i * q) + j];
            }

            s[j] = acc;
        }
    }

    /// <summary>out[o + j] = 0 + Σᵢ rows[i·q + j]·c[c0 + i] for <paramref name="from"/> ≤ j &lt; q: a vector of j at a time, then one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineRows(double[] rows, int n, int q, double[] c, int c0, double[] output, int o, int from)
    {
        ref var rr = ref MemoryMarshal.GetArrayDataReference(rows);
        var j = from;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= q - W; j += W)
            {
                var s = Vector256<double>.Zero;
                for (var i = 0; i < n; i++)
                {
                    s += Vector256.LoadUnsafe(ref Unsafe.Add(ref rr, (i * q) + j)) * Vector256.Create(c[c0 + i]);
                }

                (Vector256<double>.Zero + s).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(output), (nuint)(o + j));
            }
        }

        for (; j < q; j++)
        {
            var s = 0.0;
            for (var i = 0; i < n; i++)
            {
                s += rows[(i * q) + j] * c[c0 + i];
            }

            output[o + j] = 0.0 + s;
        }
    }

    /// <summary>v ← v·(z &gt; 0 ? 1 : 0), ReLU's derivative applied to a back-propagated δ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluDerivativeInPlace(Span<double> v, double[] z)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var vr = ref MemoryMarshal.GetReference(v);
            ref var zr = ref MemoryMarshal.GetArrayDataReference(z);
            var one = Vector256.Create(1.0);
            for (; i <= v.Length - W; i += W)
            {
                var d = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref zr, (nuint)i), Vector256<double>.Zero), one, Vector256<double>.Zero);
                (Vector256.LoadUnsafe(ref vr, (nuint)i) * d).StoreUnsafe(ref vr, (nuint)i);
            }
        }

        for (; i < v.Length; i++)
        {
            v[i] *= z[i] > 0 ? 1 : 0;
        }
    }
}
