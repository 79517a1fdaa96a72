using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Benchmarks;

/// <summary>
/// STREAM's triad a ← b + s·c, the yardstick of memory bandwidth the benchmarks divide by: vectorised as wide as the
/// optimizers' fused updates (<c>FusedUpdates.NativeBits</c>), with a's vector stores aligned as theirs are.
/// </summary>
internal static class StreamTriad
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Span<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, double s)
    {
        var n = a.Length;
        if (b.Length != n || c.Length != n)
        {
            throw new ArgumentException($"triad lengths differ: a {n}, b {b.Length}, c {c.Length}.");
        }

        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        var bits = Optimizers.Fast.FusedUpdates.NativeBits;
        var bytes = bits / 8;
        var misaligned = bytes == 0 ? 0 : (int)(Unsafe.ByteOffset(ref Unsafe.NullRef<double>(), ref ar) & (bytes - 1));
        var head = misaligned == 0 ? 0 : Math.Min(n, (bytes - misaligned) / sizeof(double));
        for (var k = 0; k < head; k++)
        {
            a[k] = b[k] + (s * c[k]);
        }

        var i = (nuint)head;
        var end = (nuint)n;
        if (bits >= 512)
        {
            for (; i + 8 <= end; i += 8)
            {
                (Vector512.LoadUnsafe(ref br, i) + (s * Vector512.LoadUnsafe(ref cr, i))).StoreUnsafe(ref ar, i);
            }
        }
        else if (bits >= 256)
        {
            for (; i + 4 <= end; i += 4)
            {
                (Vector256.LoadUnsafe(ref br, i) + (s * Vector256.LoadUnsafe(ref cr, i))).StoreUnsafe(ref ar, i);
            }
        }
        else if (bits >= 128)
        {
            for (; i + 2 <= end; i += 2)
            {
                (Vector128.LoadUnsafe(ref br, i) + (s * Vector128.LoadUnsafe(ref cr, i))).StoreUnsafe(ref ar, i);
            }
        }

        for (var k = (int)i; k < n; k++)
        {
            a[k] = b[k] + (s * c[k]);
        }
    }
}
