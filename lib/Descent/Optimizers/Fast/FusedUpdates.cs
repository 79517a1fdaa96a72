using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Optimizers.Fast;

/// <summary>
/// The fast path of <see cref="Sgd"/>, <see cref="RmsProp"/>, <see cref="Adam"/> and <see cref="AdamW"/>: each update rule
/// as one fused pass over memory, eight doubles at a time (<see cref="Vector512{T}"/>, or four with
/// <see cref="Vector256{T}"/> where AVX-512 is missing, or two with <see cref="Vector128{T}"/> where only that is
/// accelerated, as with WebAssembly SIMD), so a step reads and writes every array once (Adam: reads θ, g,
/// m, v and writes θ, m, v — 56 bytes per scalar) instead of once per operation.
/// </summary>
/// <remarks>
/// This file is not the place to learn the formulas: read the per-element loop in each optimizer's
/// <c>UpdateReference</c> (and <see cref="AdamMath.StepReference"/>), which is the reference implementation. Each rule
/// here is written once, as a <c>Pass</c> generic over <see cref="ILanes{TSelf}"/>: <see cref="Run"/> runs it with
/// <see cref="Lane1"/> up to θ's first vector-aligned element, with the widest vector to the last whole vector, and with
/// <see cref="Lane1"/> again for the rest. It performs the same IEEE operations in the same order as the readable loop,
/// without fused multiply-add, so its results equal the loop's bit for bit (FastPathTests checks every width).
/// <para>
/// With <c>skipNonFinite</c>, an entry whose gradient is NaN or ±∞ keeps its θ and state, and the rule returns false: the
/// same pass checks and blends (g − g is 0 for a finite g and NaN otherwise; the NaN survives the sum), so the check
/// costs no extra read.
/// </para>
/// </remarks>
internal static class FusedUpdates
{
    /// <summary>
    /// The widest vector this machine runs: 512, 256 or 128 bits where the hardware (or WebAssembly SIMD) accelerates it, 0
    /// for scalar only. The fused rules and <see cref="Models.MlpKernels"/> use it unless a test passes a width.
    /// </summary>
    public static readonly int NativeBits =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or −1 when all are finite.</summary>
    /// <param name="values">The values to scan.</param>
    /// <param name="bits">The widest vector to use (tests pass each width; <see cref="NativeBits"/> otherwise).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FirstNonFinite(ReadOnlySpan<double> values, int bits = -1)
    {
        bits = bits < 0 ? NativeBits : bits;
        ref var r = ref MemoryMarshal.GetReference(values);
        var n = (nuint)values.Length;
        var head = (nuint)AlignedStart(ref r, values.Length, bits);
        var i = FirstNonFinite(ref r, 0, head);
        if (i < head)
        {
            return (int)i;
        }

        // Past every whole vector when all of them are finite, else back at head to find the first offender (rare).
        i = bits >= 512 ? AllFiniteTo<Lanes512>(ref r, head, n)
            : bits >= 256 ? AllFiniteTo<Lanes256>(ref r, head, n)
            : bits >= 128 ? AllFiniteTo<Lanes128>(ref r, head, n)
            : head;
        i = FirstNonFinite(ref r, i, n);
        return i < n ? (int)i : -1;
    }

    private static nuint FirstNonFinite(ref double r, nuint from, nuint to)
    {
        var i = from;
        while (i < to && double.IsFinite(Unsafe.Add(ref r, i)))
        {
            i++;
        }

        return i;
    }

    /// <summary>Where the vectors from <paramref name="from"/> end if all their entries are finite, else <paramref name="from"/>.</summary>
    private static nuint AllFiniteTo<V>(ref double r, nuint from, nuint end)
        where V : struct, ILanes<V>
    {
        var (acc0, acc1) = (default(V), default(V));
        var i = from;
        for (var step = (nuint)(2 * V.Count); i + step <= end; i += step)
        {
            var a = V.Load(ref r, i);
            var b = V.Load(ref r, i + (nuint)V.Count);
            acc0 += a - a;
            acc1 += b - b;
        }

        return V.AllZero(acc0 + acc1) ? i : from;
    }

    /// <summary>
    /// SGD (see <see cref="Sgd"/>'s readable loop): g = s·∇ + wd·θ; b = g on the first step, else μ·b + (1 − dampening)·g;
    /// d = g + μ·b (Nesterov) or b; θ ← θ − η·d. With an empty <paramref name="b"/>, plain θ ← θ − η·g.
    /// Returns false when it skipped an entry (<paramref name="skipNonFinite"/>).
    /// </summary>
    public static bool Sgd(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> b, double η, double μ, double dampening, double wd, double sign, bool first, bool nesterov,
        bool skipNonFinite, int bits)
    {
        CheckLengths(θ.Length, grad.Length, b.IsEmpty ? θ.Length : b.Length);
        var rule = new SgdRule(θ, grad, b, η, μ, 1 - dampening, wd, sign, first, nesterov, skipNonFinite);
        return Run(ref rule, θ, bits);
    }

    /// <summary>
    /// RMSProp (see <see cref="RmsProp"/>'s readable loop): g = s·∇ + wd·θ; v ← α·v + (1 − α)·g²; a = √(v − ḡ²) + ε with
    /// ḡ ← α·ḡ + (1 − α)·g when centred (non-empty <paramref name="gBar"/>), else √v + ε; b ← μ·b + g/a, θ ← θ − η·b with
    /// momentum (non-empty <paramref name="b"/>), else θ ← θ − η·g/a. Returns false when it skipped an entry.
    /// </summary>
    public static bool RmsProp(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> v, Span<double> gBar, Span<double> b, double η, double α, double ε, double wd, double μ, double sign,
        bool skipNonFinite, int bits)
    {
        CheckLengths(θ.Length, grad.Length, v.Length, gBar.IsEmpty ? θ.Length : gBar.Length, b.IsEmpty ? θ.Length : b.Length);
        var rule = new RmsPropRule(θ, grad, v, gBar, b, η, α, 1 - α, ε, wd, μ, sign, skipNonFinite);
        return Run(ref rule, θ, bits);
    }

    /// <summary>
    /// Adam and AdamW (see <see cref="AdamMath.StepReference"/>): θ ← θ·decay (AdamW; 1 for Adam); g = s·∇ + l2·θ;
    /// m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²; with AMSGrad (non-empty <paramref name="vMax"/>) v̄ ← max(v̄, v) is
    /// used for v; θ ← θ − (η/bc₁)·m/(√v/√bc₂ + ε). Returns false when it skipped an entry.
    /// </summary>
    public static bool Adam(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> m, Span<double> v, Span<double> vMax,
        double decay, double stepSize, double β1, double β2, double sqrtBc2, double ε, double l2, double sign, bool skipNonFinite, int bits)
    {
        CheckLengths(θ.Length, grad.Length, m.Length, v.Length, vMax.IsEmpty ? θ.Length : vMax.Length);
        var rule = new AdamRule(θ, grad, m, v, vMax, decay, stepSize, β1, β2, 1 - β1, 1 - β2, sqrtBc2, ε, l2, sign, skipNonFinite);
        return Run(ref rule, θ, bits);
    }

    /// <summary>One fused rule over elements [from, to) of its arrays, one vector at a time.</summary>
    private interface IRule
    {
        /// <summary>Applies the rule to [<paramref name="from"/>, <paramref name="to"/>), a whole number of vectors; false if it skipped an entry.</summary>
        bool Pass<V>(nuint from, nuint to)
            where V : struct, ILanes<V>;
    }

    /// <summary>
    /// Runs <paramref name="rule"/> one element at a time up to θ's first vector-aligned element, then in the widest
    /// vectors <paramref name="bits"/> allows (−1: <see cref="NativeBits"/>), then one at a time to the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Run<R>(scoped ref R rule, Span<double> θ, int bits)
        where R : IRule, allows ref struct
    {
        bits = bits < 0 ? NativeBits : bits;
        var n = (nuint)θ.Length;
        var head = (nuint)AlignedStart(ref MemoryMarshal.GetReference(θ), θ.Length, bits);
        var lanes = (nuint)(bits >= 512 ? Lanes512.Count : bits >= 256 ? Lanes256.Count : bits >= 128 ? Lanes128.Count : 1);
        var tail = head + ((n - head) / lanes * lanes);
        var allFinite = rule.Pass<Lane1>(0, head);
        allFinite &= bits >= 512 ? rule.Pass<Lanes512>(head, tail)
            : bits >= 256 ? rule.Pass<Lanes256>(head, tail)
            : bits >= 128 ? rule.Pass<Lanes128>(head, tail)
            : rule.Pass<Lane1>(head, tail);
        return rule.Pass<Lane1>(tail, n) & allFinite;
    }

    private readonly ref struct SgdRule(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> b, double η, double μ, double keep, double wd, double sign, bool first, bool nesterov, bool skip)
        : IRule
    {
        private readonly Span<double> _θ = θ, _b = b;
        private readonly ReadOnlySpan<double> _grad = grad;
        private readonly (double, double, double, double, double, bool, bool, bool) _scalars = (η, μ, keep, wd, sign, first, nesterov, skip);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Pass<V>(nuint from, nuint to)
            where V : struct, ILanes<V>
        {
            ref var θr = ref MemoryMarshal.GetReference(_θ);
            ref var gr = ref MemoryMarshal.GetReference(_grad);
            ref var br = ref MemoryMarshal.GetReference(_b);
            var momentum = !_b.IsEmpty;
            var (η, μ, keep, wd, sign, first, nesterov, skip) = _scalars; // locals, so the loop keeps them in registers
            var nonFinite = default(V);
            for (var i = from; i < to; i += (nuint)V.Count)
            {
                V.Prefetch(ref θr, i, to);
                V.Prefetch(ref gr, i, to);
                if (momentum)
                {
                    V.Prefetch(ref br, i, to);
                }

                var t = V.Load(ref θr, i);
                var raw = V.Load(ref gr, i);
                var g = (sign * raw) + (wd * t);
                var d = skip ? raw - raw : default;
                var finite = skip ? V.IsZero(d) : default;
                if (momentum)
                {
                    var old = first && !skip ? g : V.Load(ref br, i);
                    var bb = first ? g : (μ * old) + (keep * g);
                    (skip ? V.Select(finite, bb, old) : bb).Store(ref br, i);
                    g = nesterov ? g + (μ * bb) : bb;
                }

                var next = t - (η * g);
                if (skip)
                {
                    next = V.Select(finite, next, t);
                    nonFinite += d;
                }

                next.Store(ref θr, i);
            }

            return V.AllZero(nonFinite);
        }
    }

    private readonly ref struct RmsPropRule(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> v, Span<double> gBar, Span<double> b, double η, double α, double rest, double ε, double wd, double μ,
        double sign, bool skip)
        : IRule
    {
        private readonly Span<double> _θ = θ, _v = v, _gBar = gBar, _b = b;
        private readonly ReadOnlySpan<double> _grad = grad;
        private readonly (double, double, double, double, double, double, double, bool) _scalars = (η, α, rest, ε, wd, μ, sign, skip);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Pass<V>(nuint from, nuint to)
            where V : struct, ILanes<V>
        {
            ref var θr = ref MemoryMarshal.GetReference(_θ);
            ref var gr = ref MemoryMarshal.GetReference(_grad);
            ref var vr = ref MemoryMarshal.GetReference(_v);
            ref var mr = ref MemoryMarshal.GetReference(_gBar);
            ref var br = ref MemoryMarshal.GetReference(_b);
            var (centered, momentum) = (!_gBar.IsEmpty, !_b.IsEmpty);
            var (η, α, rest, ε, wd, μ, sign, skip) = _scalars; // locals, so the loop keeps them in registers
            var nonFinite = default(V);
            for (var i = from; i < to; i += (nuint)V.Count)
            {
                V.Prefetch(ref θr, i, to);
                V.Prefetch(ref gr, i, to);
                V.Prefetch(ref vr, i, to);
                var t = V.Load(ref θr, i);
                var raw = V.Load(ref gr, i);
                var g = (sign * raw) + (wd * t);
                var d = skip ? raw - raw : default;
                var finite = skip ? V.IsZero(d) : default;
                var oldV = V.Load(ref vr, i);
                var vv = (α * oldV) + (rest * g * g);
                (skip ? V.Select(finite, vv, oldV) : vv).Store(ref vr, i);
                if (centered)
                {
                    var oldM = V.Load(ref mr, i);
                    var m = (α * oldM) + (rest * g);
                    (skip ? V.Select(finite, m, oldM) : m).Store(ref mr, i);
                    vv -= m * m;
                }

                var a = V.Sqrt(vv) + ε;
                V next;
                if (momentum)
                {
                    var oldB = V.Load(ref br, i);
                    var bb = (μ * oldB) + (g / a);
                    (skip ? V.Select(finite, bb, oldB) : bb).Store(ref br, i);
                    next = t - (η * bb);
                }
                else
                {
                    next = t - (η * g / a);
                }

                if (skip)
                {
                    next = V.Select(finite, next, t);
                    nonFinite += d;
                }

                next.Store(ref θr, i);
            }

            return V.AllZero(nonFinite);
        }
    }

    private readonly ref struct AdamRule(
        Span<double> θ, ReadOnlySpan<double> grad, Span<double> m, Span<double> v, Span<double> vMax, double decay, double stepSize, double β1, double β2, double c1,
        double c2, double sqrtBc2, double ε, double l2, double sign, bool skip)
        : IRule
    {
        private readonly Span<double> _θ = θ, _m = m, _v = v, _vMax = vMax;
        private readonly ReadOnlySpan<double> _grad = grad;
        private readonly (double, double, double, double, double, double, double, double, double, double, bool) _scalars =
            (decay, stepSize, β1, β2, c1, c2, sqrtBc2, ε, l2, sign, skip);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Pass<V>(nuint from, nuint to)
            where V : struct, ILanes<V>
        {
            ref var θr = ref MemoryMarshal.GetReference(_θ);
            ref var gr = ref MemoryMarshal.GetReference(_grad);
            ref var mr = ref MemoryMarshal.GetReference(_m);
            ref var vr = ref MemoryMarshal.GetReference(_v);
            ref var xr = ref MemoryMarshal.GetReference(_vMax);
            var ams = !_vMax.IsEmpty;
            var (decay, stepSize, β1, β2, c1, c2, sqrtBc2, ε, l2, sign, skip) = _scalars; // locals, so the loop keeps them in registers
            var nonFinite = default(V);
            for (var i = from; i < to; i += (nuint)V.Count)
            {
                V.Prefetch(ref θr, i, to);
                V.Prefetch(ref gr, i, to);
                V.Prefetch(ref mr, i, to);
                V.Prefetch(ref vr, i, to);
                var old = V.Load(ref θr, i);
                var t = old * decay;
                var raw = V.Load(ref gr, i);
                var g = (sign * raw) + (l2 * t);
                var d = skip ? raw - raw : default;
                var finite = skip ? V.IsZero(d) : default;
                var oldM = V.Load(ref mr, i);
                var oldV = V.Load(ref vr, i);
                var mm = (β1 * oldM) + (c1 * g);
                var vv = (β2 * oldV) + (c2 * g * g);
                (skip ? V.Select(finite, mm, oldM) : mm).Store(ref mr, i);
                (skip ? V.Select(finite, vv, oldV) : vv).Store(ref vr, i);
                if (ams)
                {
                    var oldX = V.Load(ref xr, i);
                    vv = V.Max(oldX, vv);
                    (skip ? V.Select(finite, vv, oldX) : vv).Store(ref xr, i);
                }

                var next = t - (stepSize * mm / ((V.Sqrt(vv) / sqrtBc2) + ε));
                if (skip)
                {
                    next = V.Select(finite, next, old);
                    nonFinite += d;
                }

                next.Store(ref θr, i);
            }

            return V.AllZero(nonFinite);
        }
    }

    /// <summary>
    /// How many leading elements to take one at a time so that the vector loop's loads and stores of θ (read and written
    /// every step) start on a vector-size boundary: a misaligned 64-byte store touches two cache lines (≈13 % slower at 10M).
    /// </summary>
    private static unsafe int AlignedStart(ref double first, int n, int bits)
    {
        var bytes = bits / 8;
        if (bytes == 0)
        {
            return 0;
        }

        var misaligned = (int)((nuint)Unsafe.AsPointer(ref first) & (nuint)(bytes - 1));
        return misaligned == 0 ? 0 : Math.Min(n, (bytes - misaligned) / sizeof(double));
    }

    private static void CheckLengths(int expected, params ReadOnlySpan<int> actual)
    {
        foreach (var length in actual)
        {
            if (length != expected)
            {
                throw new ArgumentException($"buffer lengths differ: {length} instead of {expected}.");
            }
        }
    }
}
