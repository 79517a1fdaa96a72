using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Descent.Optimizers.Fast;

namespace Descent.Models;

/// <summary>
/// The matrix products of <see cref="Mlp"/> on column-major arrays (entry (i, j) of an r-row matrix at j·r + i), written
/// into buffers the caller owns. Each entry is the sum Σₖ xₖ·yₖ started at 0 and taken in order k = 0, 1, …, then added to
/// 0 — the arithmetic of MathNet's managed provider — so results equal MathNet's products bit for bit. Each loop is
/// written once, generic over <see cref="ILanes{TSelf}"/>: the widest vector the machine runs
/// (<see cref="FusedUpdates.NativeBits"/>) takes as many entries as it can, each narrower one the rest it can, and
/// <see cref="Lane1"/> the last; a vector computes independent entries (never splitting one sum) and no loop uses fused
/// multiply-add, so every width gives the same bits. A method's optional <c>bits</c> is the widest vector it may use
/// (−1: <see cref="FusedUpdates.NativeBits"/>; tests pass each width).
/// </summary>
internal static class MlpKernels
{
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
    public static void TimesTransposed(double[] a, double[] w, int n, int p, int q, double[] z, int bits = -1) =>
        // Output column j combines the p columns of A (n rows each) with W[j, k], stored at k·q + j.
        new Combination(a, n, p, w, columnStride: 1, termStride: q, z, n).Run(q, bits);

    /// <summary>Y = D·W with D n×q and W q×p: Y[i, k] = Σⱼ D[i, j]·W[j, k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Times(double[] d, double[] w, int n, int q, int p, double[] y, int bits = -1) =>
        // Output column k combines the q columns of D (n rows each) with W[j, k], stored at k·q + j.
        new Combination(d, n, q, w, columnStride: q, termStride: 1, y, n).Run(p, bits);

    /// <summary>
    /// G = Dᵀ·A with D n×q given as rows (<paramref name="dRows"/>, row-major) and A n×p column-major:
    /// G[j, k] = Σᵢ D[i, j]·A[i, k], a q×p column-major matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeThisTimes(double[] dRows, double[] a, int n, int q, int p, double[] g, int bits = -1) =>
        // Column k of G combines the n rows of D (q entries each) with A[i, k], stored at k·n + i.
        new Combination(dRows, q, n, a, columnStride: n, termStride: 1, g, q).Run(p, bits);

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

    /// <summary>s[j] = Σᵢ D[i, j] (from 0, in order of i) with D n×q given as rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums(double[] dRows, int n, int q, double[] s, int bits = -1)
    {
        bits = bits < 0 ? FusedUpdates.NativeBits : bits;
        var j = bits >= 512 ? ColumnSums<Lanes512>(dRows, n, q, s, 0) : 0;
        j = bits >= 256 ? ColumnSums<Lanes256>(dRows, n, q, s, j) : j;
        j = bits >= 128 ? ColumnSums<Lanes128>(dRows, n, q, s, j) : j;
        ColumnSums<Lane1>(dRows, n, q, s, j);
    }

    /// <summary>v ← v·(z &gt; 0 ? 1 : 0), ReLU's derivative applied to a back-propagated δ.</summary>
    /// <param name="v">The δ to scale.</param>
    /// <param name="z">The layer's pre-activations, at least as long as <paramref name="v"/>.</param>
    /// <param name="bits">The widest vector to use (tests pass each width; <see cref="FusedUpdates.NativeBits"/> otherwise).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluDerivativeInPlace(Span<double> v, double[] z, int bits = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(z.Length, v.Length);
        bits = bits < 0 ? FusedUpdates.NativeBits : bits;
        var i = bits >= 512 ? ReluDerivative<Lanes512>(v, z, 0) : 0;
        i = bits >= 256 ? ReluDerivative<Lanes256>(v, z, i) : i;
        i = bits >= 128 ? ReluDerivative<Lanes128>(v, z, i) : i;
        ReluDerivative<Lane1>(v, z, i);
    }

    /// <summary>s[j] = Σᵢ D[i, j] for j from <paramref name="from"/> on, a vector of j at a time; returns the first j it did not compute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ColumnSums<V>(double[] dRows, int n, int q, double[] s, int from)
        where V : struct, ILanes<V>
    {
        ref var dr = ref MemoryMarshal.GetArrayDataReference(dRows);
        ref var sr = ref MemoryMarshal.GetArrayDataReference(s);
        var j = from;
        for (; j <= q - V.Count; j += V.Count)
        {
            var acc = default(V);
            for (var i = 0; i < n; i++)
            {
                acc += V.Load(ref dr, (nuint)((i * q) + j));
            }

            acc.Store(ref sr, (nuint)j);
        }

        return j;
    }

    /// <summary>ReLU's derivative on v from <paramref name="from"/> on, a vector at a time; returns the first index it did not scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReluDerivative<V>(Span<double> v, double[] z, int from)
        where V : struct, ILanes<V>
    {
        ref var vr = ref MemoryMarshal.GetReference(v);
        ref var zr = ref MemoryMarshal.GetArrayDataReference(z);
        var (zero, one) = (default(V), V.Create(1.0));
        var i = from;
        for (; i <= v.Length - V.Count; i += V.Count)
        {
            var d = V.Select(V.GreaterThan(V.Load(ref zr, (nuint)i), zero), one, zero);
            (V.Load(ref vr, (nuint)i) * d).Store(ref vr, (nuint)i);
        }

        return i;
    }

    /// <summary>
    /// out[c·rows + r] = 0 + Σₜ x[t·xStride + r]·w[c·columnStride + t·termStride] (t = 0 … terms−1 in order) for every
    /// output column c and row r &lt; rows: each output column a combination of the <paramref name="terms"/> columns (of
    /// <paramref name="rows"/> entries) of x. All three products are this one. Vectorised over rows; four output columns at
    /// a time share each load of x (register blocking), which changes no sum's order.
    /// </summary>
    private readonly struct Combination(double[] x, int xStride, int terms, double[] w, int columnStride, int termStride, double[] output, int rows)
    {
        /// <summary>Output columns 0 … <paramref name="columns"/>−1 with vectors of at most <paramref name="bits"/> (−1: the machine's widest).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int columns, int bits)
        {
            bits = bits < 0 ? FusedUpdates.NativeBits : bits;
            var c = 0;
            for (; c <= columns - 4; c += 4)
            {
                // Blocks of four columns by two vectors of rows, widest first; the rows they leave, column by column.
                var r = bits >= 512 && rows >= 2 * Lanes512.Count ? Block<Lanes512>(c, 0) : 0;
                r = bits >= 256 && rows - r >= 2 * Lanes256.Count ? Block<Lanes256>(c, r) : r;
                r = bits >= 128 && rows - r >= 2 * Lanes128.Count ? Block<Lanes128>(c, r) : r;
                if (r < rows)
                {
                    for (var cc = c; cc < c + 4; cc++)
                    {
                        Column(cc, r, bits);
                    }
                }
            }

            for (; c < columns; c++)
            {
                Column(c, 0, bits);
            }
        }

        /// <summary>One output column from row <paramref name="from"/> on: a vector of rows at a time, widest first, then row by row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Column(int c, int from, int bits)
        {
            var r = bits >= 512 && rows - from >= Lanes512.Count ? Column<Lanes512>(c, from) : from;
            r = bits >= 256 && rows - r >= Lanes256.Count ? Column<Lanes256>(c, r) : r;
            r = bits >= 128 && rows - r >= Lanes128.Count ? Column<Lanes128>(c, r) : r;
            if (r < rows)
            {
                Column<Lane1>(c, r);
            }
        }

        /// <summary>Rows from <paramref name="from"/> on of output columns c … c+3, two vectors at a time; returns the first row it did not compute.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Block<V>(int c, int from)
            where V : struct, ILanes<V>
        {
            // Locals, so the loops keep them in registers (a store through a ref could alias the fields).
            var (n, m, xStep, tStep) = (rows, terms, xStride, termStride);
            ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
            ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
            ref var or = ref MemoryMarshal.GetArrayDataReference(output);
            var (w0, w1, w2, w3) = (c * columnStride, (c + 1) * columnStride, (c + 2) * columnStride, (c + 3) * columnStride);
            var (o0, o1, o2, o3) = (c * n, (c + 1) * n, (c + 2) * n, (c + 3) * n);
            var width = (nuint)V.Count;
            var i = from;
            for (; i <= n - (2 * V.Count); i += 2 * V.Count)
            {
                var (s00, s01, s10, s11) = (default(V), default(V), default(V), default(V));
                var (s20, s21, s30, s31) = (default(V), default(V), default(V), default(V));
                for (var k = 0; k < m; k++)
                {
                    ref var col = ref Unsafe.Add(ref xr, (k * xStep) + i);
                    var x0 = V.Load(ref col, 0);
                    var x1 = V.Load(ref col, width);
                    var t = k * tStep;
                    var b0 = V.Create(Unsafe.Add(ref wr, w0 + t));
                    var b1 = V.Create(Unsafe.Add(ref wr, w1 + t));
                    var b2 = V.Create(Unsafe.Add(ref wr, w2 + t));
                    var b3 = V.Create(Unsafe.Add(ref wr, w3 + t));
                    s00 += x0 * b0;
                    s01 += x1 * b0;
                    s10 += x0 * b1;
                    s11 += x1 * b1;
                    s20 += x0 * b2;
                    s21 += x1 * b2;
                    s30 += x0 * b3;
                    s31 += x1 * b3;
                }

                Store(ref Unsafe.Add(ref or, o0 + i), s00, s01);
                Store(ref Unsafe.Add(ref or, o1 + i), s10, s11);
                Store(ref Unsafe.Add(ref or, o2 + i), s20, s21);
                Store(ref Unsafe.Add(ref or, o3 + i), s30, s31);
            }

            return i;
        }

        /// <summary>Rows from <paramref name="from"/> on of output column c, one vector at a time; returns the first row it did not compute.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Column<V>(int c, int from)
            where V : struct, ILanes<V>
        {
            var (n, m, xStep, tStep) = (rows, terms, xStride, termStride);
            ref var xr = ref MemoryMarshal.GetArrayDataReference(x);
            ref var wr = ref MemoryMarshal.GetArrayDataReference(w);
            ref var or = ref MemoryMarshal.GetArrayDataReference(output);
            var w0 = c * columnStride;
            var i = from;
            for (; i <= n - V.Count; i += V.Count)
            {
                var s = default(V);
                for (var k = 0; k < m; k++)
                {
                    s += V.Load(ref xr, (nuint)((k * xStep) + i)) * V.Create(Unsafe.Add(ref wr, w0 + (k * tStep)));
                }

                (default(V) + s).Store(ref or, (nuint)((c * n) + i));
            }

            return i;
        }

        /// <summary>0 + s0 and 0 + s1 (MathNet's final addition, which turns −0 into +0) at <paramref name="destination"/> and one vector on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store<V>(ref double destination, V s0, V s1)
            where V : struct, ILanes<V>
        {
            (default(V) + s0).Store(ref destination, 0);
            (default(V) + s1).Store(ref destination, (nuint)V.Count);
        }
    }
}
