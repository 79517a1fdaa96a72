using Descent.Optimizers;
using Descent.Optimizers.Fast;
using FsCheck.Xunit;

namespace Descent.Tests.Optimizers;

/// <summary>
/// The fused updates (Optimizers/Fast) against the readable per-element loops they replace in Step, the way PyTorch
/// tests its foreach path against its for-loop: the same trajectory and state bit for bit, at every vector width this
/// machine runs (each optimizer is given its width; nothing process-wide changes), for every option and for lengths that
/// do not fill a whole number of vectors.
/// </summary>
public class FastPathTests
{
    private static readonly int[] Lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1001];

    /// <summary>Every option combination of the four optimizers with a fast path.</summary>
    public static readonly Dictionary<string, Func<Parameter[], OptimizerBase>> Configurations = new()
    {
        ["SGD"] = p => new Sgd(p, 0.05),
        ["SGD wd maximize"] = p => new Sgd(p, 0.05, weightDecay: 0.1, maximize: true),
        ["SGD momentum"] = p => new Sgd(p, 0.05, momentum: 0.9),
        ["SGD momentum dampening wd"] = p => new Sgd(p, 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01),
        ["SGD nesterov"] = p => new Sgd(p, 0.05, momentum: 0.9, nesterov: true),
        ["SGD nesterov wd maximize"] = p => new Sgd(p, 0.05, momentum: 0.7, nesterov: true, weightDecay: 0.05, maximize: true),
        ["RMSprop"] = p => new RmsProp(p),
        ["RMSprop wd maximize"] = p => new RmsProp(p, 0.01, weightDecay: 0.1, maximize: true),
        ["RMSprop momentum"] = p => new RmsProp(p, 0.01, momentum: 0.9),
        ["RMSprop centered"] = p => new RmsProp(p, 0.01, centered: true),
        ["RMSprop centered momentum wd"] = p => new RmsProp(p, 0.02, alpha: 0.9, epsilon: 1e-6, weightDecay: 0.01, momentum: 0.5, centered: true),
        ["Adam"] = p => new Adam(p, 0.01),
        ["Adam wd"] = p => new Adam(p, 0.01, weightDecay: 0.1),
        ["Adam amsgrad"] = p => new Adam(p, 0.01, amsgrad: true),
        ["Adam maximize"] = p => new Adam(p, 0.01, maximize: true),
        ["Adam no bias correction"] = p => new Adam(p, 0.01, biasCorrection: false),
        ["Adam amsgrad wd maximize eps betas"] = p => new Adam(p, 0.003, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.2, amsgrad: true, maximize: true),
        ["AdamW"] = p => new AdamW(p, 0.01),
        ["AdamW amsgrad"] = p => new AdamW(p, 0.01, weightDecay: 0.1, amsgrad: true),
        ["AdamW maximize"] = p => new AdamW(p, 0.01, beta1: 0.8, maximize: true),
    };

    public static TheoryData<string> Names() => new(Configurations.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Fast_path_equals_the_readable_loop_for_every_length(string name)
    {
        foreach (var n in Lengths)
        {
            Compare(name, [n, (n % 5) + 1], seed: n, steps: 6, nonFinite: false);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Fast_path_equals_the_readable_loop_on_non_finite_gradients_when_allowed(string name)
    {
        Compare(name, [37, 9], seed: 7, steps: 4, nonFinite: true);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Fast_path_skips_non_finite_entries_as_the_readable_loop_does(string name)
    {
        // The kernels check and skip in the update pass; the loop path scans first, then saves and restores the skipped entries.
        Compare(name, [37, 9, 1001], seed: 5, steps: 5, nonFinite: true, allowNonFinite: false);
    }

    [Property(MaxTest = 25)]
    public bool Fast_path_equals_the_readable_loop_on_random_sizes_and_data(int seed)
    {
        var rng = new Random(seed);
        foreach (var name in Configurations.Keys)
        {
            Compare(name, [rng.Next(1, 200), rng.Next(1, 20)], seed, steps: 3, nonFinite: false);
        }

        return true;
    }

    [Fact]
    public void Changing_learning_rate_and_momentum_between_steps_keeps_the_paths_equal()
    {
        foreach (var name in Configurations.Keys)
        {
            Compare(name, [64, 3], seed: 11, steps: 8, nonFinite: false, betweenSteps: (o, t) =>
            {
                o.LearningRate = 0.01 * (1 + t);
                if (o is IHasMomentum h)
                {
                    h.Momentum = t % 3 == 2 && o is not AdamFamily ? 0.0 : 0.5 + (0.05 * t);
                }
            });
        }
    }

    [Fact]
    public void First_non_finite_finds_the_first_offender_anywhere()
    {
        foreach (var bits in Widths)
        {
            foreach (var n in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 33, 64, 1000 })
            {
                var g = Enumerable.Range(0, n).Select(i => (double)i - 5).ToArray();
                Assert.Equal(-1, FusedUpdates.FirstNonFinite(g, bits));
                foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                {
                    for (var at = 0; at < n; at += Math.Max(1, n / 7))
                    {
                        var h = (double[])g.Clone();
                        h[at] = bad;
                        h[n - 1] = bad;
                        Assert.Equal(at, FusedUpdates.FirstNonFinite(h, bits));
                    }
                }
            }

            Assert.Equal(-1, FusedUpdates.FirstNonFinite([double.MaxValue, -double.MaxValue, double.Epsilon, -0.0], bits));
        }
    }

    [Fact]
    public void State_arrays_start_at_the_cache_line_offset_of_theta()
    {
        foreach (var n in new[] { 3, 1000, 1001, 1002, 1003, 20_000 })
        {
            foreach (var name in Configurations.Keys)
            {
                // θ pinned, so that the offset measured is the one the kernel sees.
                var θ = new Parameter("θ", GC.AllocateArray<double>(n, pinned: true));
                var optimizer = Configurations[name]([θ]);
                optimizer.Step();
                foreach (var state in optimizer.StateBuffers(0))
                {
                    var apart = System.Runtime.CompilerServices.Unsafe.ByteOffset(ref θ.Value[0], ref state.Array![state.Offset]);
                    Assert.True(apart % 64 == 0, $"{name}, n = {n}: a state array starts {apart % 64} bytes off θ's offset in a cache line");
                    Assert.Equal(n, state.Count);
                }
            }
        }
    }

    /// <summary>Every vector width this machine runs (512, 256, 128 bits where available) and the scalar path, each against the loop.</summary>
    private static void Compare(
        string name, int[] lengths, int seed, int steps, bool nonFinite, Action<OptimizerBase, int>? betweenSteps = null, bool allowNonFinite = true)
    {
        foreach (var bits in Widths)
        {
            CompareOnce(bits, name, lengths, seed, steps, nonFinite, betweenSteps, allowNonFinite);
        }
    }

    /// <summary>
    /// Every vector width this machine runs: 512, 256 and 128 bits where available (128, the width WebAssembly SIMD runs,
    /// wherever any vector is accelerated), and 0 (one element at a time).
    /// </summary>
    internal static readonly int[] Widths = [.. new[] { 512, 256, 128, 0 }.Where(w => w <= FusedUpdates.NativeBits)];

    private static void CompareOnce(
        int bits, string name, int[] lengths, int seed, int steps, bool nonFinite, Action<OptimizerBase, int>? betweenSteps, bool allowNonFinite)
    {
        var rng = new Random(seed);
        var values = lengths.Select(n => Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 4) - 2).ToArray()).ToArray();
        var fastParams = values.Select((v, k) => new Parameter($"p{k}", (double[])v.Clone())).ToArray();
        var refParams = values.Select((v, k) => new Parameter($"p{k}", (double[])v.Clone())).ToArray();
        var fast = Configurations[name](fastParams);
        var reference = Configurations[name](refParams);
        reference.UseReferenceLoop = true;
        fast.VectorBits = reference.VectorBits = bits;
        fast.AllowNonFiniteGradients = reference.AllowNonFiniteGradients = nonFinite && allowNonFinite;
        for (var t = 0; t < steps; t++)
        {
            for (var k = 0; k < lengths.Length; k++)
            {
                for (var i = 0; i < lengths[k]; i++)
                {
                    // Mixed scales and signs, exact zeros, and (when asked) NaN and ±∞.
                    var g = rng.Next(10) switch
                    {
                        0 => 0.0,
                        1 => (rng.NextDouble() - 0.5) * 1e-6,
                        2 => (rng.NextDouble() - 0.5) * 1e3,
                        _ => (rng.NextDouble() * 2) - 1,
                    };
                    if (nonFinite && rng.Next(20) == 0)
                    {
                        g = new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity }[rng.Next(3)];
                    }

                    fastParams[k].Gradient[i] = refParams[k].Gradient[i] = g;
                }
            }

            betweenSteps?.Invoke(fast, t);
            betweenSteps?.Invoke(reference, t);
            var fastError = Record.Exception(fast.Step);
            var referenceError = Record.Exception(reference.Step);
            if (nonFinite && !allowNonFinite)
            {
                // Every step here has a NaN or ±∞ somewhere: both paths throw the same report after skipping.
                Assert.IsType<NonFiniteGradientException>(fastError);
                Assert.Equal(referenceError?.Message, fastError.Message);
                Assert.Equal(t + 1, fast.StepCount);
            }
            else
            {
                Assert.Null(fastError);
                Assert.Null(referenceError);
            }
            for (var k = 0; k < lengths.Length; k++)
            {
                AssertSameBits($"{name} ({bits}-bit path), θ of buffer {k} (n = {lengths[k]}) after step {t + 1}", refParams[k].Value, fastParams[k].Value);
                foreach (var (label, r, f) in States(reference, fast, k))
                {
                    AssertSameBits($"{name} ({bits}-bit path), {label} of buffer {k} (n = {lengths[k]}) after step {t + 1}", r, f);
                }
            }
        }
    }

    private static IEnumerable<(string Label, IReadOnlyList<double> Reference, IReadOnlyList<double> Fast)> States(OptimizerBase reference, OptimizerBase fast, int k)
    {
        switch (reference, fast)
        {
            case (AdamFamily r, AdamFamily f):
                yield return ("m", r.State(k).M, f.State(k).M);
                yield return ("v", r.State(k).V, f.State(k).V);
                if (r.State(k).MaxV is { } rm)
                {
                    yield return ("max v", rm, f.State(k).MaxV!);
                }

                break;
            case (RmsProp r, RmsProp f):
                yield return ("square average", r.SquareAverage(k), f.SquareAverage(k));
                break;
            case (Sgd r, Sgd f):
                Assert.Equal(r.MomentumBuffer(k) is null, f.MomentumBuffer(k) is null);
                if (r.MomentumBuffer(k) is { } rb)
                {
                    yield return ("momentum buffer", rb, f.MomentumBuffer(k)!);
                }

                break;
        }
    }

    /// <summary>Bit for bit: +0 and −0 differ, and so do NaNs with different payloads.</summary>
    private static void AssertSameBits(string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var same = BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a);
            Assert.True(same, $"{what}: element {i} is {a:R} (0x{BitConverter.DoubleToInt64Bits(a):X16}), the readable loop gives {e:R} (0x{BitConverter.DoubleToInt64Bits(e):X16})");
        }
    }
}
