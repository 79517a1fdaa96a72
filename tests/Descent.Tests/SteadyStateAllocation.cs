namespace Descent.Tests;

/// <summary>Bytes a repeated action allocates once it runs in steady state.</summary>
internal static class SteadyStateAllocation
{
    /// <summary>
    /// Runs <paramref name="action"/> in 5 windows of 10 calls and returns the bytes each window allocated on this thread.
    /// The JIT's tier-up (on-stack replacement of a loop) can allocate once, at a moment that depends on the machine's
    /// load; an allocation made by the action itself shows in every window.
    /// </summary>
    public static long[] Windows(Action action)
    {
        var windows = new long[5];
        for (var w = 0; w < windows.Length; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10; i++)
            {
                action();
            }

            windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return windows;
    }

    /// <summary>Fails unless some window of 10 calls allocated nothing.</summary>
    public static void AssertNone(Action action, string what)
    {
        var windows = Windows(action);
        Assert.True(windows.Contains(0), $"{what}: every window of 10 calls allocated ({string.Join(", ", windows)} bytes)");
    }
}
