using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Models;

/// <summary>
/// The matrix products of <see cref="Mlp"/> on column-major arrays (entry (i, j) of an r-row matrix at j·r + i), written
/// into buffers the caller owns. Each entry is the sum Σₖ xₖ·yₖ started at 0 and taken in order k = 0, 1, …, then added to
/// 0 — the arithmetic of MathNet's managed provider — so results equal MathNet's products bit for bit. The vector loops
/// compute four independent entries per instruction (never splitting one sum) and use no fused multiply-add.
/// </summary>
internal static class MlpKernels
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
    public static void TimesTransposed(double[] a, double[] w, int n, int p, int q, double[] z)
    {
        // Vectorised over rows i: for output column j, broadcast W[j, k] (at k·q + j) and stream column k of A.
        for (var j = 0; j < q; j++)
        {
            RowsTimesBroadcast(a, n, p, w, j, q, z, j * n);
        }
    }

    /// <summary>Y = D·W with D n×q and W q×p: Y[i, k] = Σⱼ D[i, j]·W[j, k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Times(double[] d, double[] w, int n, int q, int p, double[] y)
    {
        // Vectorised over rows i: for output column k, broadcast W[j, k] (at k·q + j) and stream column j of D.
        for (var k = 0; k < p; k++)
        {
            RowsTimesBroadcast(d, n, q, w, k * q, 1, y, k * n);
        }
    }

    /// <summary>
    /// out[o + i] = 0 + Σₖ x[k·n + i]·c[c0 + k·cs] for i &lt; n: column combinations of the n×m matrix x, four rows a vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowsTimesBroadcast(double[] x, int n, int m, double[] c, int c0, int cs, double[] output, int o)
    {
        ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        ref var or = ref MemoryMarshal.GetArrayDataReference(output);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - (4 * W); i += 4 * W)
            {
                var (s0, s1, s2, s3) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
                for (var k = 0; k < m; k++)
                {
                    var ck = Vector256.Create(Unsafe.Add(ref cr, c0 + (k * cs)));
                    ref var col = ref Unsafe.Add(ref xr, (k * n) + i);
                    s0 += Vector256.LoadUnsafe(ref col) * ck;
                    s1 += Vector256.LoadUnsafe(ref col, (nuint)W) * ck;
                    s2 += Vector256.LoadUnsafe(ref col, (nuint)(2 * W)) * ck;
                    s3 += Vector256.LoadUnsafe(ref col, (nuint)(3 * W)) * ck;
                }

                ref var dst = ref Unsafe.Add(ref or, o + i);
                (Vector256<double>.Zero + s0).StoreUnsafe(ref dst);
                (Vector256<double>.Zero + s1).StoreUnsafe(ref dst, (nuint)W);
                (Vector256<double>.Zero + s2).StoreUnsafe(ref dst, (nuint)(2 * W));
                (Vector256<double>.Zero + s3).StoreUnsafe(ref dst, (nuint)(3 * W));
            }

            for (; i <= n - W; i += W)
            {
                var s = Vector256<double>.Zero;
                for (var k = 0; k < m; k++)
                {
                    s += Vector256.LoadUnsafe(ref Unsafe.Add(ref xr, (k * n) + i)) * Vector256.Create(Unsafe.Add(ref cr, c0 + (k * cs)));
                }

                (Vector256<double>.Zero + s).StoreUnsafe(ref Unsafe.Add(ref or, o + i));
            }
        }

        for (; i < n; i++)
        {
            var s = 0.0;
            for (var k = 0; k < m; k++)
            {
                s += x[(k * n) + i] * c[c0 + (k * cs)];
            }

            output[o + i] = 0.0 + s;
        }
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
        // Vectorised over j: for column k of G, broadcast A[i, k] and stream row i of D.
        for (var k = 0; k < p; k++)
        {
            ColumnsTimesBroadcast(dRows, n, q, a, k * n, g, k * q);
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

    /// <summary>out[o + j] = 0 + Σᵢ rows[i·q + j]·c[c0 + i] for j &lt; q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnsTimesBroadcast(double[] rows, int n, int q, double[] c, int c0, double[] output, int o)
    {
        ref var rr = ref MemoryMarshal.GetArrayDataReference(rows);
        ref var or = ref MemoryMarshal.GetArrayDataReference(output);
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= q - (4 * W); j += 4 * W)
            {
                var (s0, s1, s2, s3) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
                for (var i = 0; i < n; i++)
                {
                    var ci = Vector256.Create(c[c0 + i]);
                    ref var row = ref Unsafe.Add(ref rr, (i * q) + j);
                    s0 += Vector256.LoadUnsafe(ref row) * ci;
                    s1 += Vector256.LoadUnsafe(ref row, (nuint)W) * ci;
                    s2 += Vector256.LoadUnsafe(ref row, (nuint)(2 * W)) * ci;
                    s3 += Vector256.LoadUnsafe(ref row, (nuint)(3 * W)) * ci;
                }

                ref var dst = ref Unsafe.Add(ref or, o + j);
                (Vector256<double>.Zero + s0).StoreUnsafe(ref dst);
                (Vector256<double>.Zero + s1).StoreUnsafe(ref dst, (nuint)W);
                (Vector256<double>.Zero + s2).StoreUnsafe(ref dst, (nuint)(2 * W));
                (Vector256<double>.Zero + s3).StoreUnsafe(ref dst, (nuint)(3 * W));
            }

            for (; j <= q - W; j += W)
            {
                var s = Vector256<double>.Zero;
                for (var i = 0; i < n; i++)
                {
                    s += Vector256.LoadUnsafe(ref Unsafe.Add(ref rr, (i * q) + j)) * Vector256.Create(c[c0 + i]);
                }

                (Vector256<double>.Zero + s).StoreUnsafe(ref Unsafe.Add(ref or, o + j));
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
