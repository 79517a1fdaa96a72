using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Optimizers.Fast;

/// <summary>
/// The fast path of <see cref="Sgd"/>, <see cref="RmsProp"/>, <see cref="Adam"/> and <see cref="AdamW"/>: each update rule
/// as one fused pass over memory, four doubles at a time (<see cref="Vector256{T}"/>), so a step reads and writes every
/// array once (Adam: reads θ, g, m, v and writes θ, m, v — 56 bytes per scalar) instead of once per operation.
/// </summary>
/// <remarks>
/// This file is not the place to learn the formulas: read the per-element loop in each optimizer's
/// <c>UpdateReference</c> (and <see cref="AdamMath.StepReference"/>), which is the reference implementation. Every kernel
/// here performs the same IEEE operations in the same order as that loop, without fused multiply-add, so its results
/// equal the readable loop's bit for bit (the tests allow 1e-12 relative); the last few elements that do not fill a
/// vector run through the same scalar arithmetic.
/// </remarks>
internal static class VectorKernels
{
    private static readonly int Width = Vector256<double>.Count;

    /// <summary>Whether the vector path runs; otherwise every element takes the scalar path.</summary>
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or −1 when all are finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FirstNonFinite(ReadOnlySpan<double> values)
    {
        ref var r = ref MemoryMarshal.GetReference(values);
        var n = (nuint)values.Length;
        nuint i = 0;
        if (IsAccelerated && n >= (nuint)(4 * Width))
        {
            // x − x is +0 for a finite x and NaN for NaN or ±∞; NaN survives the sums.
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            var acc2 = Vector256<double>.Zero;
            var acc3 = Vector256<double>.Zero;
            var w = (nuint)Width;
            for (; i + (4 * w) <= n; i += 4 * w)
            {
                var a = Vector256.LoadUnsafe(ref r, i);
                var b = Vector256.LoadUnsafe(ref r, i + w);
                var c = Vector256.LoadUnsafe(ref r, i + (2 * w));
                var d = Vector256.LoadUnsafe(ref r, i + (3 * w));
                acc0 += a - a;
                acc1 += b - b;
                acc2 += c - c;
                acc3 += d - d;
            }

            if (((acc0 + acc1) + (acc2 + acc3)) != Vector256<double>.Zero)
            {
                i = 0; // rare: find the first offender element by element
            }
        }

        for (; i < n; i++)
        {
            if (!double.IsFinite(Unsafe.Add(ref r, i)))
            {
                return (int)i;
            }
        }

        return -1;
    }

    /// <summary>
    /// SGD, fused (see <see cref="Sgd"/>'s readable loop): g = s·∇ + wd·θ; b = g on the first step, else
    /// μ·b + (1 − dampening)·g; d = g + μ·b (Nesterov) or b; θ ← θ − η·d. With an empty <paramref name="b"/>, plain θ ← θ − η·g.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sgd(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> b, double η, double μ, double dampening, double wd, double sign, bool first, bool nesterov)
    {
        var n = θ.Length;
        CheckLength(n, grad.Length);
        ref var θr = ref MemoryMarshal.GetReference(θ);
        ref var gr = ref MemoryMarshal.GetReference(grad);
        var i = 0;
        if (b.IsEmpty)
        {
            if (IsAccelerated)
            {
                for (; i <= n - Width; i += Width)
                {
                    var t = Vector256.LoadUnsafe(ref θr, (nuint)i);
                    var g = (sign * Vector256.LoadUnsafe(ref gr, (nuint)i)) + (wd * t);
                    (t - (η * g)).StoreUnsafe(ref θr, (nuint)i);
                }
            }

            for (; i < n; i++)
            {
                var g = (sign * grad[i]) + (wd * θ[i]);
                θ[i] -= η * g;
            }

            return;
        }

        CheckLength(n, b.Length);
        ref var br = ref MemoryMarshal.GetReference(b);
        var keep = 1 - dampening;
        if (IsAccelerated)
        {
            for (; i <= n - Width; i += Width)
            {
                var t = Vector256.LoadUnsafe(ref θr, (nuint)i);
                var g = (sign * Vector256.LoadUnsafe(ref gr, (nuint)i)) + (wd * t);
                var bb = first ? g : (μ * Vector256.LoadUnsafe(ref br, (nuint)i)) + (keep * g);
                bb.StoreUnsafe(ref br, (nuint)i);
                var d = nesterov ? g + (μ * bb) : bb;
                (t - (η * d)).StoreUnsafe(ref θr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            var g = (sign * grad[i]) + (wd * θ[i]);
            b[i] = first ? g : (μ * b[i]) + (keep * g);
            var d = nesterov ? g + (μ * b[i]) : b[i];
            θ[i] -= η * d;
        }
    }

    /// <summary>
    /// RMSProp, fused (see <see cref="RmsProp"/>'s readable loop): g = s·∇ + wd·θ; v ← α·v + (1 − α)·g²;
    /// a = √(v − ḡ²) + ε with ḡ ← α·ḡ + (1 − α)·g when centred (non-empty <paramref name="gBar"/>), else √v + ε;
    /// b ← μ·b + g/a, θ ← θ − η·b with momentum (non-empty <paramref name="b"/>), else θ ← θ − η·g/a.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsProp(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> v, Span<double> gBar, Span<double> b, double η, double α, double ε, double wd, double μ, double sign)
    {
        var n = θ.Length;
        CheckLength(n, grad.Length);
        CheckLength(n, v.Length);
        var centered = !gBar.IsEmpty;
        var momentum = !b.IsEmpty;
        if (centered)
        {
            CheckLength(n, gBar.Length);
        }

        if (momentum)
        {
            CheckLength(n, b.Length);
        }

        ref var θr = ref MemoryMarshal.GetReference(θ);
        ref var gr = ref MemoryMarshal.GetReference(grad);
        ref var vr = ref MemoryMarshal.GetReference(v);
        ref var mr = ref MemoryMarshal.GetReference(gBar);
        ref var br = ref MemoryMarshal.GetReference(b);
        var rest = 1 - α;
        var i = 0;
        if (IsAccelerated)
        {
            for (; i <= n - Width; i += Width)
            {
                var k = (nuint)i;
                var t = Vector256.LoadUnsafe(ref θr, k);
                var g = (sign * Vector256.LoadUnsafe(ref gr, k)) + (wd * t);
                var vv = (α * Vector256.LoadUnsafe(ref vr, k)) + (rest * g * g);
                vv.StoreUnsafe(ref vr, k);
                Vector256<double> a;
                if (centered)
                {
                    var m = (α * Vector256.LoadUnsafe(ref mr, k)) + (rest * g);
                    m.StoreUnsafe(ref mr, k);
                    a = Vector256.Sqrt(vv - (m * m)) + Vector256.Create(ε);
                }
                else
                {
                    a = Vector256.Sqrt(vv) + Vector256.Create(ε);
                }

                if (momentum)
                {
                    var bb = (μ * Vector256.LoadUnsafe(ref br, k)) + (g / a);
                    bb.StoreUnsafe(ref br, k);
                    (t - (η * bb)).StoreUnsafe(ref θr, k);
                }
                else
                {
                    (t - (η * g / a)).StoreUnsafe(ref θr, k);
                }
            }
        }

        for (; i < n; i++)
        {
            var g = (sign * grad[i]) + (wd * θ[i]);
            v[i] = (α * v[i]) + (rest * g * g);
            double a;
            if (centered)
            {
                gBar[i] = (α * gBar[i]) + (rest * g);
                a = Math.Sqrt(v[i] - (gBar[i] * gBar[i])) + ε;
            }
            else
            {
                a = Math.Sqrt(v[i]) + ε;
            }

            if (momentum)
            {
                b[i] = (μ * b[i]) + (g / a);
                θ[i] -= η * b[i];
            }
            else
            {
                θ[i] -= η * g / a;
            }
        }
    }

    /// <summary>
    /// Adam and AdamW, fused (see <see cref="AdamMath.StepReference"/>): θ ← θ·decay (AdamW; 1 for Adam);
    /// g = s·∇ + l2·θ; m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²; with AMSGrad (non-empty <paramref name="vMax"/>)
    /// v̄ ← max(v̄, v) is used for v; θ ← θ − (η/bc₁)·m/(√v/√bc₂ + ε).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adam(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> m, Span<double> v, Span<double> vMax,
        double decay, double stepSize, double β1, double β2, double sqrtBc2, double ε, double l2, double sign)
    {
        var n = θ.Length;
        CheckLength(n, grad.Length);
        CheckLength(n, m.Length);
        CheckLength(n, v.Length);
        var ams = !vMax.IsEmpty;
        if (ams)
        {
            CheckLength(n, vMax.Length);
        }

        ref var θr = ref MemoryMarshal.GetReference(θ);
        ref var gr = ref MemoryMarshal.GetReference(grad);
        ref var mr = ref MemoryMarshal.GetReference(m);
        ref var vr = ref MemoryMarshal.GetReference(v);
        ref var xr = ref MemoryMarshal.GetReference(vMax);
        var c1 = 1 - β1;
        var c2 = 1 - β2;
        var i = 0;
        if (IsAccelerated)
        {
            var εv = Vector256.Create(ε);
            for (; i <= n - Width; i += Width)
            {
                var k = (nuint)i;
                var t = Vector256.LoadUnsafe(ref θr, k) * decay;
                var g = (sign * Vector256.LoadUnsafe(ref gr, k)) + (l2 * t);
                var mm = (β1 * Vector256.LoadUnsafe(ref mr, k)) + (c1 * g);
                var vv = (β2 * Vector256.LoadUnsafe(ref vr, k)) + (c2 * g * g);
                mm.StoreUnsafe(ref mr, k);
                vv.StoreUnsafe(ref vr, k);
                if (ams)
                {
                    vv = Vector256.Max(Vector256.LoadUnsafe(ref xr, k), vv);
                    vv.StoreUnsafe(ref xr, k);
                }

                (t - (stepSize * mm / ((Vector256.Sqrt(vv) / sqrtBc2) + εv))).StoreUnsafe(ref θr, k);
            }
        }

        for (; i < n; i++)
        {
            var t = θ[i] * decay;
            var g = (sign * grad[i]) + (l2 * t);
            m[i] = (β1 * m[i]) + (c1 * g);
            v[i] = (β2 * v[i]) + (c2 * g * g);
            var vUsed = v[i];
            if (ams)
            {
                vMax[i] = Math.Max(vMax[i], v[i]);
                vUsed = vMax[i];
            }

            θ[i] = t - (stepSize * m[i] / ((Math.Sqrt(vUsed) / sqrtBc2) + ε));
        }
    }

    /// <summary>STREAM's triad a ← b + s·c, the yardstick of memory bandwidth the benchmarks divide by.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Triad(Span<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, double s)
    {
        var n = a.Length;
        CheckLength(n, b.Length);
        CheckLength(n, c.Length);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        var i = 0;
        if (IsAccelerated)
        {
            for (; i <= n - Width; i += Width)
            {
                var k = (nuint)i;
                (Vector256.LoadUnsafe(ref br, k) + (s * Vector256.LoadUnsafe(ref cr, k))).StoreUnsafe(ref ar, k);
            }
        }

        for (; i < n; i++)
        {
            a[i] = b[i] + (s * c[i]);
        }
    }

    private static void CheckLength(int expected, int actual)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"buffer lengths differ: {actual} instead of {expected}.");
        }
    }
}
