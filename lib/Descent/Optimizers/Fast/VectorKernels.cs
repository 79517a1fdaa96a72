using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Optimizers.Fast;

/// <summary>
/// The fast path of <see cref="Sgd"/>, <see cref="RmsProp"/>, <see cref="Adam"/> and <see cref="AdamW"/>: each update rule
/// as one fused pass over memory, eight doubles at a time (<see cref="Vector512{T}"/>, or four with
/// <see cref="Vector256{T}"/> where AVX-512 is missing), so a step reads and writes every array once (Adam: reads θ, g,
/// m, v and writes θ, m, v — 56 bytes per scalar) instead of once per operation.
/// </summary>
/// <remarks>
/// This file is not the place to learn the formulas: read the per-element loop in each optimizer's
/// <c>UpdateReference</c> (and <see cref="AdamMath.StepReference"/>), which is the reference implementation. Every kernel
/// here performs the same IEEE operations in the same order as that loop, without fused multiply-add, so its results
/// equal the readable loop's bit for bit (the tests allow 1e-12 relative); the last elements that do not fill a vector
/// run through the same scalar arithmetic.
/// </remarks>
internal static class VectorKernels
{
    /// <summary>The widest vector the kernels use: 512 or 256 bits where the hardware has it, 0 for scalar only. Tests lower it to cover every path.</summary>
    internal static int VectorBits { get; set; } = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    /// <summary>Whether a vector path runs; otherwise every element takes the scalar path.</summary>
    public static bool IsAccelerated => VectorBits > 0;

    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or −1 when all are finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FirstNonFinite(ReadOnlySpan<double> values)
    {
        ref var r = ref MemoryMarshal.GetReference(values);
        var n = (nuint)values.Length;
        var head = (nuint)AlignedStart(ref r, values.Length);
        for (nuint k = 0; k < head; k++)
        {
            if (!double.IsFinite(Unsafe.Add(ref r, k)))
            {
                return (int)k;
            }
        }

        var i = head;

        // x − x is +0 for a finite x and NaN for NaN or ±∞; NaN survives the sums.
        if (VectorBits >= 512)
        {
            var (acc0, acc1) = (Vector512<double>.Zero, Vector512<double>.Zero);
            for (; i + 16 <= n; i += 16)
            {
                var a = Vector512.LoadUnsafe(ref r, i);
                var b = Vector512.LoadUnsafe(ref r, i + 8);
                acc0 += a - a;
                acc1 += b - b;
            }

            if (acc0 + acc1 != Vector512<double>.Zero)
            {
                i = head; // rare: find the first offender element by element
            }
        }
        else if (VectorBits >= 256)
        {
            var (acc0, acc1) = (Vector256<double>.Zero, Vector256<double>.Zero);
            for (; i + 8 <= n; i += 8)
            {
                var a = Vector256.LoadUnsafe(ref r, i);
                var b = Vector256.LoadUnsafe(ref r, i + 4);
                acc0 += a - a;
                acc1 += b - b;
            }

            if (acc0 + acc1 != Vector256<double>.Zero)
            {
                i = head;
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
    /// With <paramref name="skipNonFinite"/>, an entry whose gradient is NaN or ±∞ keeps its θ and b (the same pass
    /// checks and blends, so the check costs no extra read); returns false when it skipped any entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Sgd(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> b, double η, double μ, double dampening, double wd, double sign, bool first, bool nesterov,
        bool skipNonFinite = false)
    {
        var n = θ.Length;
        CheckLength(n, grad.Length);
        var momentum = !b.IsEmpty;
        if (momentum)
        {
            CheckLength(n, b.Length);
        }

        ref var θr = ref MemoryMarshal.GetReference(θ);
        ref var gr = ref MemoryMarshal.GetReference(grad);
        ref var br = ref MemoryMarshal.GetReference(b);
        var keep = 1 - dampening;
        var head = AlignedStart(ref θr, n);
        var allFinite = SgdScalar(0, head, θ, grad, b, η, μ, keep, wd, sign, first, nesterov, skipNonFinite);
        var i = (nuint)head;
        var end = (nuint)n;
        if (VectorBits >= 512)
        {
            var nonFinite = Vector512<double>.Zero; // x − x is 0 for finite x, NaN otherwise; NaN sticks in the sum
            for (; i + 8 <= end; i += 8)
            {
                Prefetch(ref θr, i, end);
                Prefetch(ref gr, i, end);
                if (momentum)
                {
                    Prefetch(ref br, i, end);
                }

                var t = Vector512.LoadUnsafe(ref θr, i);
                var raw = Vector512.LoadUnsafe(ref gr, i);
                var g = (sign * raw) + (wd * t);
                var d = skipNonFinite ? raw - raw : default;
                var finite = skipNonFinite ? Vector512.Equals(d, Vector512<double>.Zero) : default;
                if (momentum)
                {
                    var old = first && !skipNonFinite ? g : Vector512.LoadUnsafe(ref br, i);
                    var bb = first ? g : (μ * old) + (keep * g);
                    if (skipNonFinite)
                    {
                        bb = Vector512.ConditionalSelect(finite, bb, old);
                    }

                    bb.StoreUnsafe(ref br, i);
                    g = nesterov ? g + (μ * bb) : bb;
                }

                var next = t - (η * g);
                if (skipNonFinite)
                {
                    next = Vector512.ConditionalSelect(finite, next, t);
                    nonFinite += d;
                }

                next.StoreUnsafe(ref θr, i);
            }

            allFinite &= nonFinite == Vector512<double>.Zero;
        }
        else if (VectorBits >= 256)
        {
            var nonFinite = Vector256<double>.Zero;
            for (; i + 4 <= end; i += 4)
            {
                var t = Vector256.LoadUnsafe(ref θr, i);
                var raw = Vector256.LoadUnsafe(ref gr, i);
                var g = (sign * raw) + (wd * t);
                var d = skipNonFinite ? raw - raw : default;
                var finite = skipNonFinite ? Vector256.Equals(d, Vector256<double>.Zero) : default;
                if (momentum)
                {
                    var old = first && !skipNonFinite ? g : Vector256.LoadUnsafe(ref br, i);
                    var bb = first ? g : (μ * old) + (keep * g);
                    if (skipNonFinite)
                    {
                        bb = Vector256.ConditionalSelect(finite, bb, old);
                    }

                    bb.StoreUnsafe(ref br, i);
                    g = nesterov ? g + (μ * bb) : bb;
                }

                var next = t - (η * g);
                if (skipNonFinite)
                {
                    next = Vector256.ConditionalSelect(finite, next, t);
                    nonFinite += d;
                }

                next.StoreUnsafe(ref θr, i);
            }

            allFinite &= nonFinite == Vector256<double>.Zero;
        }

        allFinite &= SgdScalar((int)i, n, θ, grad, b, η, μ, keep, wd, sign, first, nesterov, skipNonFinite);
        return allFinite;
    }

    private static bool SgdScalar(
        int from, int to, Span<double> θ, ReadOnlySpan<double> grad, Span<double> b, double η, double μ, double keep, double wd, double sign, bool first, bool nesterov,
        bool skipNonFinite)
    {
        var allFinite = true;
        var momentum = !b.IsEmpty;
        for (var k = from; k < to; k++)
        {
            if (skipNonFinite && !double.IsFinite(grad[k]))
            {
                allFinite = false;
                continue;
            }

            var g = (sign * grad[k]) + (wd * θ[k]);
            if (momentum)
            {
                b[k] = first ? g : (μ * b[k]) + (keep * g);
                g = nesterov ? g + (μ * b[k]) : b[k];
            }

            θ[k] -= η * g;
        }

        return allFinite;
    }

    /// <summary>
    /// RMSProp, fused (see <see cref="RmsProp"/>'s readable loop): g = s·∇ + wd·θ; v ← α·v + (1 − α)·g²;
    /// a = √(v − ḡ²) + ε with ḡ ← α·ḡ + (1 − α)·g when centred (non-empty <paramref name="gBar"/>), else √v + ε;
    /// b ← μ·b + g/a, θ ← θ − η·b with momentum (non-empty <paramref name="b"/>), else θ ← θ − η·g/a.
    /// With <paramref name="skipNonFinite"/>, an entry whose gradient is NaN or ±∞ keeps its θ and state; returns false
    /// when it skipped any entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool RmsProp(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> v, Span<double> gBar, Span<double> b, double η, double α, double ε, double wd, double μ, double sign,
        bool skipNonFinite = false)
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
        var head = AlignedStart(ref θr, n);
        var allFinite = RmsPropScalar(0, head, θ, grad, v, gBar, b, η, α, rest, ε, wd, μ, sign, skipNonFinite);
        var i = (nuint)head;
        var end = (nuint)n;
        if (VectorBits >= 512)
        {
            var εv = Vector512.Create(ε);
            var nonFinite = Vector512<double>.Zero;
            for (; i + 8 <= end; i += 8)
            {
                Prefetch(ref θr, i, end);
                Prefetch(ref gr, i, end);
                Prefetch(ref vr, i, end);
                var t = Vector512.LoadUnsafe(ref θr, i);
                var raw = Vector512.LoadUnsafe(ref gr, i);
                var g = (sign * raw) + (wd * t);
                var d = skipNonFinite ? raw - raw : default;
                var finite = skipNonFinite ? Vector512.Equals(d, Vector512<double>.Zero) : default;
                var oldV = Vector512.LoadUnsafe(ref vr, i);
                var vv = (α * oldV) + (rest * g * g);
                (skipNonFinite ? Vector512.ConditionalSelect(finite, vv, oldV) : vv).StoreUnsafe(ref vr, i);
                if (centered)
                {
                    var oldM = Vector512.LoadUnsafe(ref mr, i);
                    var m = (α * oldM) + (rest * g);
                    (skipNonFinite ? Vector512.ConditionalSelect(finite, m, oldM) : m).StoreUnsafe(ref mr, i);
                    vv -= m * m;
                }

                var a = Vector512.Sqrt(vv) + εv;
                Vector512<double> next;
                if (momentum)
                {
                    var oldB = Vector512.LoadUnsafe(ref br, i);
                    var bb = (μ * oldB) + (g / a);
                    (skipNonFinite ? Vector512.ConditionalSelect(finite, bb, oldB) : bb).StoreUnsafe(ref br, i);
                    next = t - (η * bb);
                }
                else
                {
                    next = t - (η * g / a);
                }

                if (skipNonFinite)
                {
                    next = Vector512.ConditionalSelect(finite, next, t);
                    nonFinite += d;
                }

                next.StoreUnsafe(ref θr, i);
            }

            allFinite &= nonFinite == Vector512<double>.Zero;
        }
        else if (VectorBits >= 256)
        {
            var εv = Vector256.Create(ε);
            var nonFinite = Vector256<double>.Zero;
            for (; i + 4 <= end; i += 4)
            {
                var t = Vector256.LoadUnsafe(ref θr, i);
                var raw = Vector256.LoadUnsafe(ref gr, i);
                var g = (sign * raw) + (wd * t);
                var d = skipNonFinite ? raw - raw : default;
                var finite = skipNonFinite ? Vector256.Equals(d, Vector256<double>.Zero) : default;
                var oldV = Vector256.LoadUnsafe(ref vr, i);
                var vv = (α * oldV) + (rest * g * g);
                (skipNonFinite ? Vector256.ConditionalSelect(finite, vv, oldV) : vv).StoreUnsafe(ref vr, i);
                if (centered)
                {
                    var oldM = Vector256.LoadUnsafe(ref mr, i);
                    var m = (α * oldM) + (rest * g);
                    (skipNonFinite ? Vector256.ConditionalSelect(finite, m, oldM) : m).StoreUnsafe(ref mr, i);
                    vv -= m * m;
                }

                var a = Vector256.Sqrt(vv) + εv;
                Vector256<double> next;
                if (momentum)
                {
                    var oldB = Vector256.LoadUnsafe(ref br, i);
                    var bb = (μ * oldB) + (g / a);
                    (skipNonFinite ? Vector256.ConditionalSelect(finite, bb, oldB) : bb).StoreUnsafe(ref br, i);
                    next = t - (η * bb);
                }
                else
                {
                    next = t - (η * g / a);
                }

                if (skipNonFinite)
                {
                    next = Vector256.ConditionalSelect(finite, next, t);
                    nonFinite += d;
                }

                next.StoreUnsafe(ref θr, i);
            }

            allFinite &= nonFinite == Vector256<double>.Zero;
        }

        allFinite &= RmsPropScalar((int)i, n, θ, grad, v, gBar, b, η, α, rest, ε, wd, μ, sign, skipNonFinite);
        return allFinite;
    }

    private static bool RmsPropScalar(
        int from, int to, Span<double> θ, ReadOnlySpan<double> grad, Span<double> v, Span<double> gBar, Span<double> b, double η, double α, double rest, double ε, double wd, double μ, double sign,
        bool skipNonFinite)
    {
        var allFinite = true;
        var centered = !gBar.IsEmpty;
        var momentum = !b.IsEmpty;
        for (var k = from; k < to; k++)
        {
            if (skipNonFinite && !double.IsFinite(grad[k]))
            {
                allFinite = false;
                continue;
            }

            var g = (sign * grad[k]) + (wd * θ[k]);
            v[k] = (α * v[k]) + (rest * g * g);
            var vv = v[k];
            if (centered)
            {
                gBar[k] = (α * gBar[k]) + (rest * g);
                vv -= gBar[k] * gBar[k];
            }

            var a = Math.Sqrt(vv) + ε;
            if (momentum)
            {
                b[k] = (μ * b[k]) + (g / a);
                θ[k] -= η * b[k];
            }
            else
            {
                θ[k] -= η * g / a;
            }
        }

        return allFinite;
    }

    /// <summary>
    /// Adam and AdamW, fused (see <see cref="AdamMath.StepReference"/>): θ ← θ·decay (AdamW; 1 for Adam);
    /// g = s·∇ + l2·θ; m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²; with AMSGrad (non-empty <paramref name="vMax"/>)
    /// v̄ ← max(v̄, v) is used for v; θ ← θ − (η/bc₁)·m/(√v/√bc₂ + ε).
    /// With <paramref name="skipNonFinite"/>, an entry whose gradient is NaN or ±∞ keeps its θ and state; returns false
    /// when it skipped any entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Adam(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> m, Span<double> v, Span<double> vMax,
        double decay, double stepSize, double β1, double β2, double sqrtBc2, double ε, double l2, double sign, bool skipNonFinite = false)
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
        var head = AlignedStart(ref θr, n);
        var allFinite = AdamScalar(0, head, θ, grad, m, v, vMax, decay, stepSize, β1, β2, c1, c2, sqrtBc2, ε, l2, sign, skipNonFinite);
        var i = (nuint)head;
        var end = (nuint)n;
        if (VectorBits >= 512)
        {
            var εv = Vector512.Create(ε);
            var nonFinite = Vector512<double>.Zero;
            for (; i + 8 <= end; i += 8)
            {
                Prefetch(ref θr, i, end);
                Prefetch(ref gr, i, end);
                Prefetch(ref mr, i, end);
                Prefetch(ref vr, i, end);
                var old = Vector512.LoadUnsafe(ref θr, i);
                var t = old * decay;
                var raw = Vector512.LoadUnsafe(ref gr, i);
                var g = (sign * raw) + (l2 * t);
                var d = skipNonFinite ? raw - raw : default;
                var finite = skipNonFinite ? Vector512.Equals(d, Vector512<double>.Zero) : default;
                var oldM = Vector512.LoadUnsafe(ref mr, i);
                var oldV = Vector512.LoadUnsafe(ref vr, i);
                var mm = (β1 * oldM) + (c1 * g);
                var vv = (β2 * oldV) + (c2 * g * g);
                (skipNonFinite ? Vector512.ConditionalSelect(finite, mm, oldM) : mm).StoreUnsafe(ref mr, i);
                (skipNonFinite ? Vector512.ConditionalSelect(finite, vv, oldV) : vv).StoreUnsafe(ref vr, i);
                if (ams)
                {
                    var oldX = Vector512.LoadUnsafe(ref xr, i);
                    vv = Vector512.Max(oldX, vv);
                    (skipNonFinite ? Vector512.ConditionalSelect(finite, vv, oldX) : vv).StoreUnsafe(ref xr, i);
                }

                var next = t - (stepSize * mm / ((Vector512.Sqrt(vv) / sqrtBc2) + εv));
                if (skipNonFinite)
                {
                    next = Vector512.ConditionalSelect(finite, next, old);
                    nonFinite += d;
                }

                next.StoreUnsafe(ref θr, i);
            }

            allFinite &= nonFinite == Vector512<double>.Zero;
        }
        else if (VectorBits >= 256)
        {
            var εv = Vector256.Create(ε);
            var nonFinite = Vector256<double>.Zero;
            for (; i + 4 <= end; i += 4)
            {
                var old = Vector256.LoadUnsafe(ref θr, i);
                var t = old * decay;
                var raw = Vector256.LoadUnsafe(ref gr, i);
                var g = (sign * raw) + (l2 * t);
                var d = skipNonFinite ? raw - raw : default;
                var finite = skipNonFinite ? Vector256.Equals(d, Vector256<double>.Zero) : default;
                var oldM = Vector256.LoadUnsafe(ref mr, i);
                var oldV = Vector256.LoadUnsafe(ref vr, i);
                var mm = (β1 * oldM) + (c1 * g);
                var vv = (β2 * oldV) + (c2 * g * g);
                (skipNonFinite ? Vector256.ConditionalSelect(finite, mm, oldM) : mm).StoreUnsafe(ref mr, i);
                (skipNonFinite ? Vector256.ConditionalSelect(finite, vv, oldV) : vv).StoreUnsafe(ref vr, i);
                if (ams)
                {
                    var oldX = Vector256.LoadUnsafe(ref xr, i);
                    vv = Vector256.Max(oldX, vv);
                    (skipNonFinite ? Vector256.ConditionalSelect(finite, vv, oldX) : vv).StoreUnsafe(ref xr, i);
                }

                var next = t - (stepSize * mm / ((Vector256.Sqrt(vv) / sqrtBc2) + εv));
                if (skipNonFinite)
                {
                    next = Vector256.ConditionalSelect(finite, next, old);
                    nonFinite += d;
                }

                next.StoreUnsafe(ref θr, i);
            }

            allFinite &= nonFinite == Vector256<double>.Zero;
        }

        allFinite &= AdamScalar((int)i, n, θ, grad, m, v, vMax, decay, stepSize, β1, β2, c1, c2, sqrtBc2, ε, l2, sign, skipNonFinite);
        return allFinite;
    }

    private static bool AdamScalar(
        int from, int to, Span<double> θ, ReadOnlySpan<double> grad, Span<double> m, Span<double> v, Span<double> vMax,
        double decay, double stepSize, double β1, double β2, double c1, double c2, double sqrtBc2, double ε, double l2, double sign, bool skipNonFinite)
    {
        var allFinite = true;
        var ams = !vMax.IsEmpty;
        for (var k = from; k < to; k++)
        {
            if (skipNonFinite && !double.IsFinite(grad[k]))
            {
                allFinite = false;
                continue;
            }

            var t = θ[k] * decay;
            var g = (sign * grad[k]) + (l2 * t);
            m[k] = (β1 * m[k]) + (c1 * g);
            v[k] = (β2 * v[k]) + (c2 * g * g);
            var vUsed = v[k];
            if (ams)
            {
                vMax[k] = Math.Max(vMax[k], v[k]);
                vUsed = vMax[k];
            }

            θ[k] = t - (stepSize * m[k] / ((Math.Sqrt(vUsed) / sqrtBc2) + ε));
        }

        return allFinite;
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
        var head = AlignedStart(ref ar, n);
        for (var k = 0; k < head; k++)
        {
            a[k] = b[k] + (s * c[k]);
        }

        var i = (nuint)head;
        var end = (nuint)n;
        if (VectorBits >= 512)
        {
            for (; i + 8 <= end; i += 8)
            {
                (Vector512.LoadUnsafe(ref br, i) + (s * Vector512.LoadUnsafe(ref cr, i))).StoreUnsafe(ref ar, i);
            }
        }
        else if (VectorBits >= 256)
        {
            for (; i + 4 <= end; i += 4)
            {
                (Vector256.LoadUnsafe(ref br, i) + (s * Vector256.LoadUnsafe(ref cr, i))).StoreUnsafe(ref ar, i);
            }
        }

        for (var k = (int)i; k < n; k++)
        {
            a[k] = b[k] + (s * c[k]);
        }
    }

    /// <summary>
    /// How many leading elements to take one at a time so that the vector loop's loads and stores of θ (read and written
    /// every step) start on a vector-size boundary: a misaligned 64-byte store touches two cache lines (≈13 % slower at 10M).
    /// </summary>
    private static unsafe int AlignedStart(ref double first, int n)
    {
        var bytes = VectorBits / 8;
        if (bytes == 0)
        {
            return 0;
        }

        var misaligned = (int)((nuint)Unsafe.AsPointer(ref first) & (nuint)(bytes - 1));
        return misaligned == 0 ? 0 : Math.Min(n, (bytes - misaligned) / sizeof(double));
    }

    /// <summary>How far ahead, in doubles, the 512-bit loops prefetch each stream: 1 KB, the best of 64 B to 4 KB on Zen 5 (SGD at 10M: 9 % faster).</summary>
    private const int PrefetchAhead = 128;

    /// <summary>
    /// How far ahead, in doubles, they touch each stream once per 4 KB page: 16 KB (four pages), so that the page walk
    /// — costly in a virtual machine, where it walks two page tables — is done before the data is needed (another 8–10 %).
    /// </summary>
    private const int PageAhead = 2048;

    /// <summary>
    /// Hints the cache line <see cref="PrefetchAhead"/> doubles past <paramref name="i"/> into L1 and, once per page, a
    /// line <see cref="PageAhead"/> doubles past it into L2: with five to seven streams the hardware prefetchers, which
    /// stop at page boundaries, leave bandwidth unused. Only hints; the results never change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref double first, nuint i, nuint end)
    {
        if (Sse.IsSupported && i + PageAhead < end)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, i + PrefetchAhead)));
            if ((i & 511) < 8)
            {
                // i steps by 8 from any start, so exactly one i in each 512 (one 4 KB page) passes this test.
                Sse.Prefetch2(Unsafe.AsPointer(ref Unsafe.Add(ref first, i + PageAhead)));
            }
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
