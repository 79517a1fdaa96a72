using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Optimizers.Fast;

/// <summary>
/// A vector of doubles as the fused rules in <see cref="FusedUpdates"/> and the products in
/// <see cref="Models.MlpKernels"/> see it: the arithmetic they use, loads and stores, broadcasts and masks. Each rule
/// and product is written once, generic over this interface; the JIT compiles it once per implementation —
/// <see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/> and <see cref="Lane1"/> (one double, for the
/// elements before and after the vector loop) — with every call inlined, as if it were written for that type.
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal interface ILanes<TSelf>
    where TSelf : struct, ILanes<TSelf>
{
    /// <summary>How many doubles one value holds.</summary>
    static abstract int Count { get; }

    /// <summary>The <see cref="Count"/> doubles from <paramref name="source"/>[<paramref name="i"/>] on.</summary>
    static abstract TSelf Load(ref double source, nuint i);

    /// <summary>The value with <paramref name="x"/> in every lane.</summary>
    static abstract TSelf Create(double x);

    /// <summary>Hints the hardware to fetch what the loop will read further on (a no-op where it does not pay).</summary>
    static abstract void Prefetch(ref double source, nuint i, nuint end);

    /// <summary>√x in every lane.</summary>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>The larger of a and b in every lane (NaN if either is NaN, as <see cref="Math.Max(double, double)"/>).</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>A mask: all bits set in the lanes where x is ±0, clear elsewhere.</summary>
    static abstract TSelf IsZero(TSelf x);

    /// <summary>A mask: all bits set in the lanes where a &gt; b (false when either is NaN), clear elsewhere.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>The lanes of <paramref name="ifTrue"/> where <paramref name="mask"/> is set, of <paramref name="ifFalse"/> elsewhere.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);

    /// <summary>Whether every lane of x is ±0.</summary>
    static abstract bool AllZero(TSelf x);

#pragma warning disable CS1591 // the operators are the arithmetic they name, lane by lane
    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator +(TSelf a, double b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator *(double a, TSelf b);

    static abstract TSelf operator *(TSelf a, double b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, double b);
#pragma warning restore CS1591

    /// <summary>Writes the <see cref="Count"/> doubles to <paramref name="destination"/>[<paramref name="i"/>] on.</summary>
    void Store(ref double destination, nuint i);
}

/// <summary>Eight doubles (<see cref="Vector512{T}"/>, AVX-512), with software prefetch.</summary>
internal readonly struct Lanes512(Vector512<double> v) : ILanes<Lanes512>
{
    private readonly Vector512<double> _v = v;

    public static int Count => Vector512<double>.Count;

    public static Lanes512 Load(ref double source, nuint i) => new(Vector512.LoadUnsafe(ref source, i));

    public static Lanes512 Create(double x) => new(Vector512.Create(x));

    public void Store(ref double destination, nuint i) => _v.StoreUnsafe(ref destination, i);

    /// <summary>How far ahead, in doubles, each stream is prefetched: 1 KB, the best of 64 B to 4 KB on Zen 5 (SGD at 10M: 9 % faster).</summary>
    private const int PrefetchAhead = 128;

    /// <summary>
    /// How far ahead, in doubles, each stream is touched once per 4 KB page: 16 KB (four pages), so that the page walk —
    /// costly in a virtual machine, where it walks two page tables — is done before the data is needed (another 8–10 %).
    /// </summary>
    private const int PageAhead = 2048;

    /// <summary>
    /// Hints the cache line <see cref="PrefetchAhead"/> doubles past <paramref name="i"/> into L1 and, once per page, a
    /// line <see cref="PageAhead"/> doubles past it into L2: with five to seven streams the hardware prefetchers, which
    /// stop at page boundaries, leave bandwidth unused. Only hints; the results never change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ref double source, nuint i, nuint end)
    {
        if (Sse.IsSupported && i + PageAhead < end)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref source, i + PrefetchAhead)));
            if ((i & 511) < 8)
            {
                // i steps by 8 from any start, so exactly one i in each 512 (one 4 KB page) passes this test.
                Sse.Prefetch2(Unsafe.AsPointer(ref Unsafe.Add(ref source, i + PageAhead)));
            }
        }
    }

    public static Lanes512 Sqrt(Lanes512 x) => new(Vector512.Sqrt(x._v));

    public static Lanes512 Max(Lanes512 a, Lanes512 b) => new(Vector512.Max(a._v, b._v));

    public static Lanes512 IsZero(Lanes512 x) => new(Vector512.Equals(x._v, Vector512<double>.Zero));

    public static Lanes512 GreaterThan(Lanes512 a, Lanes512 b) => new(Vector512.GreaterThan(a._v, b._v));

    public static Lanes512 Select(Lanes512 mask, Lanes512 ifTrue, Lanes512 ifFalse) => new(Vector512.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    public static bool AllZero(Lanes512 x) => x._v == Vector512<double>.Zero;

    public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);

    public static Lanes512 operator +(Lanes512 a, double b) => new(a._v + Vector512.Create(b));

    public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);

    public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a._v * b._v);

    public static Lanes512 operator *(double a, Lanes512 b) => new(a * b._v);

    public static Lanes512 operator *(Lanes512 a, double b) => new(a._v * b);

    public static Lanes512 operator /(Lanes512 a, Lanes512 b) => new(a._v / b._v);

    public static Lanes512 operator /(Lanes512 a, double b) => new(a._v / b);
}

/// <summary>Four doubles (<see cref="Vector256{T}"/>, AVX), where AVX-512 is missing; no software prefetch (not measured there).</summary>
internal readonly struct Lanes256(Vector256<double> v) : ILanes<Lanes256>
{
    private readonly Vector256<double> _v = v;

    public static int Count => Vector256<double>.Count;

    public static Lanes256 Load(ref double source, nuint i) => new(Vector256.LoadUnsafe(ref source, i));

    public static Lanes256 Create(double x) => new(Vector256.Create(x));

    public void Store(ref double destination, nuint i) => _v.StoreUnsafe(ref destination, i);

    public static void Prefetch(ref double source, nuint i, nuint end)
    {
    }

    public static Lanes256 Sqrt(Lanes256 x) => new(Vector256.Sqrt(x._v));

    public static Lanes256 Max(Lanes256 a, Lanes256 b) => new(Vector256.Max(a._v, b._v));

    public static Lanes256 IsZero(Lanes256 x) => new(Vector256.Equals(x._v, Vector256<double>.Zero));

    public static Lanes256 GreaterThan(Lanes256 a, Lanes256 b) => new(Vector256.GreaterThan(a._v, b._v));

    public static Lanes256 Select(Lanes256 mask, Lanes256 ifTrue, Lanes256 ifFalse) => new(Vector256.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    public static bool AllZero(Lanes256 x) => x._v == Vector256<double>.Zero;

    public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._v + b._v);

    public static Lanes256 operator +(Lanes256 a, double b) => new(a._v + Vector256.Create(b));

    public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._v - b._v);

    public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a._v * b._v);

    public static Lanes256 operator *(double a, Lanes256 b) => new(a * b._v);

    public static Lanes256 operator *(Lanes256 a, double b) => new(a._v * b);

    public static Lanes256 operator /(Lanes256 a, Lanes256 b) => new(a._v / b._v);

    public static Lanes256 operator /(Lanes256 a, double b) => new(a._v / b);
}

/// <summary>
/// Two doubles (<see cref="Vector128{T}"/>): the widest vector where neither 512- nor 256-bit ones are accelerated but
/// 128-bit ones are — WebAssembly SIMD in the browser, Arm's AdvSimd, x64 with SSE only — and, in
/// <see cref="Models.MlpKernels"/>, the rows the wider vectors leave. Portable operations only (no x86 intrinsic, no
/// prefetch), each the same IEEE operation in every lane as on the wider types.
/// </summary>
internal readonly struct Lanes128(Vector128<double> v) : ILanes<Lanes128>
{
    private readonly Vector128<double> _v = v;

    public static int Count => Vector128<double>.Count;

    public static Lanes128 Load(ref double source, nuint i) => new(Vector128.LoadUnsafe(ref source, i));

    public static Lanes128 Create(double x) => new(Vector128.Create(x));

    public void Store(ref double destination, nuint i) => _v.StoreUnsafe(ref destination, i);

    public static void Prefetch(ref double source, nuint i, nuint end)
    {
    }

    public static Lanes128 Sqrt(Lanes128 x) => new(Vector128.Sqrt(x._v));

    public static Lanes128 Max(Lanes128 a, Lanes128 b) => new(Vector128.Max(a._v, b._v));

    public static Lanes128 IsZero(Lanes128 x) => new(Vector128.Equals(x._v, Vector128<double>.Zero));

    public static Lanes128 GreaterThan(Lanes128 a, Lanes128 b) => new(Vector128.GreaterThan(a._v, b._v));

    public static Lanes128 Select(Lanes128 mask, Lanes128 ifTrue, Lanes128 ifFalse) => new(Vector128.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    public static bool AllZero(Lanes128 x) => x._v == Vector128<double>.Zero;

    public static Lanes128 operator +(Lanes128 a, Lanes128 b) => new(a._v + b._v);

    public static Lanes128 operator +(Lanes128 a, double b) => new(a._v + Vector128.Create(b));

    public static Lanes128 operator -(Lanes128 a, Lanes128 b) => new(a._v - b._v);

    public static Lanes128 operator *(Lanes128 a, Lanes128 b) => new(a._v * b._v);

    public static Lanes128 operator *(double a, Lanes128 b) => new(a * b._v);

    public static Lanes128 operator *(Lanes128 a, double b) => new(a._v * b);

    public static Lanes128 operator /(Lanes128 a, Lanes128 b) => new(a._v / b._v);

    public static Lanes128 operator /(Lanes128 a, double b) => new(a._v / b);
}

/// <summary>
/// One double: the elements before the vector loop's aligned start and after its last whole vector, and every element
/// when no vector path runs. The same IEEE operations as the vector lanes, so those elements get the same bits.
/// </summary>
internal readonly struct Lane1(double v) : ILanes<Lane1>
{
    private readonly double _v = v;

    public static int Count => 1;

    public static Lane1 Load(ref double source, nuint i) => new(Unsafe.Add(ref source, i));

    public static Lane1 Create(double x) => new(x);

    public void Store(ref double destination, nuint i) => Unsafe.Add(ref destination, i) = _v;

    public static void Prefetch(ref double source, nuint i, nuint end)
    {
    }

    public static Lane1 Sqrt(Lane1 x) => new(Math.Sqrt(x._v));

    public static Lane1 Max(Lane1 a, Lane1 b) => new(Math.Max(a._v, b._v));

    public static Lane1 IsZero(Lane1 x) => new(x._v == 0 ? BitConverter.Int64BitsToDouble(-1) : 0.0);

    public static Lane1 GreaterThan(Lane1 a, Lane1 b) => new(a._v > b._v ? BitConverter.Int64BitsToDouble(-1) : 0.0);

    public static Lane1 Select(Lane1 mask, Lane1 ifTrue, Lane1 ifFalse) => BitConverter.DoubleToInt64Bits(mask._v) != 0 ? ifTrue : ifFalse;

    public static bool AllZero(Lane1 x) => x._v == 0;

    public static Lane1 operator +(Lane1 a, Lane1 b) => new(a._v + b._v);

    public static Lane1 operator +(Lane1 a, double b) => new(a._v + b);

    public static Lane1 operator -(Lane1 a, Lane1 b) => new(a._v - b._v);

    public static Lane1 operator *(Lane1 a, Lane1 b) => new(a._v * b._v);

    public static Lane1 operator *(double a, Lane1 b) => new(a * b._v);

    public static Lane1 operator *(Lane1 a, double b) => new(a._v * b);

    public static Lane1 operator /(Lane1 a, Lane1 b) => new(a._v / b._v);

    public static Lane1 operator /(Lane1 a, double b) => new(a._v / b);
}
