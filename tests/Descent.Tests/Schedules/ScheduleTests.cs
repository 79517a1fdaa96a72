using Descent.Optimizers;
using Descent.Schedules;
using FsCheck.Xunit;
using S = Descent.Schedules.LrSchedules;

namespace Descent.Tests.Schedules;

public class ScheduleTests
{
    [Fact]
    public void Bad_arguments_name_the_parameter_and_value()
    {
        Assert.StartsWith("tMax must be > 0, but was 0.", Assert.Throws<ArgumentOutOfRangeException>(() => S.CosineAnnealing(0.1, 0)).Message);
        Assert.StartsWith("gamma must be a finite number > 0, but was -0.5.", Assert.Throws<ArgumentOutOfRangeException>(() => S.Exponential(0.1, -0.5)).Message);
        Assert.Equal("tMax", Assert.Throws<ArgumentOutOfRangeException>(() => S.CosineAnnealing(0.1, -3)).ParamName);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => S.Step(0.1, 0)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => S.Exponential(0.1, -0.5)).ParamName);
        var ms = Assert.Throws<ArgumentException>(() => S.MultiStep(0.1, [10, 5]));
        Assert.Contains("[10, 5]", ms.Message);
        Assert.Equal("pctStart", Assert.Throws<ArgumentOutOfRangeException>(() => S.OneCycle(0.1, 100, pctStart: 1.2)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau(0.1, factor: 1.0)).ParamName);
        Assert.Equal("baseLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => S.Step(-1, 5)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => S.Constant(0.1)(-1)).ParamName);
        Assert.Throws<ArgumentException>(() => S.Sequential([S.Constant(0.1)], [5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => S.OneCycle(0.1, 10).LearningRate(10));
    }

    [Fact]
    public void Warmup_then_cosine_starts_low_peaks_at_the_base_rate_and_ends_at_eta_min()
    {
        var s = S.WarmupCosine(0.1, warmupSteps: 10, totalSteps: 100, etaMin: 0.001);
        Assert.Equal(0.1 * 0.01, s(0), 12);
        Assert.Equal(0.1, s(10), 12);
        Assert.Equal(0.001, s(100), 12);
    }

    [Fact]
    public void Warm_restart_steps_follow_T0_and_Tmult()
    {
        Assert.Equal([5, 15, 35], S.WarmRestartSteps(40, 5, 2));
    }

    [Fact]
    public void Apply_sets_rate_and_cycled_momentum()
    {
        var sgd = new Sgd([new Parameter("w", [0.0])], 0.1, momentum: 0.9);
        var cycle = S.OneCycle(1.0, 100);
        sgd.Apply(cycle, 29);
        Assert.Equal(1.0, sgd.LearningRate, 12);
        Assert.Equal(0.85, sgd.Momentum, 12);
    }

    [Fact]
    public void One_cycle_cycles_beta1_for_every_adam_family_optimizer()
    {
        var cycle = S.OneCycle(1.0, 100);
        AdamFamily[] family =
        [
            new Adam([new Parameter("w", [0.0])]), new AdamW([new Parameter("w", [0.0])]), new NAdam([new Parameter("w", [0.0])]),
            new RAdam([new Parameter("w", [0.0])]), new Adamax([new Parameter("w", [0.0])]),
        ];
        foreach (var optimizer in family)
        {
            optimizer.Apply(cycle, 0);
            Assert.Equal(0.95, optimizer.Beta1, 12);
            optimizer.Apply(cycle, 29);
            Assert.Equal(0.85, optimizer.Beta1, 12);
        }
    }

    [Property(MaxTest = 50)]
    public bool Schedules_stay_within_their_bounds(int seed)
    {
        var rng = new Random(seed);
        var baseLr = 0.001 + rng.NextDouble();
        var etaMin = baseLr * rng.NextDouble() * 0.5;
        var tMax = rng.Next(1, 200);
        var cosine = S.CosineAnnealing(baseLr, tMax, etaMin);
        var restarts = S.CosineWarmRestarts(baseLr, rng.Next(1, 30), rng.Next(1, 3), etaMin);
        var oneCycleSteps = rng.Next(10, 300);
        var oneCycle = S.OneCycle(baseLr, oneCycleSteps);
        var cyclic = S.Cyclic(etaMin, baseLr, rng.Next(1, 50), mode: (CyclicMode)rng.Next(3), gamma: 0.99);
        var step = S.Step(baseLr, rng.Next(1, 20), 0.5);
        for (var t = 0; t < 300; t++)
        {
            var c = cosine(t);
            var r = restarts(t);
            var y = cyclic.LearningRate(t);
            if (c < etaMin - 1e-15 || c > baseLr + 1e-15 || r < etaMin - 1e-15 || r > baseLr + 1e-15 || y < etaMin - 1e-15 || y > baseLr + 1e-15)
            {
                return false;
            }

            if (t > 0 && step(t) > step(t - 1))
            {
                return false;
            }
        }

        return oneCycle.LearningRate.Values(oneCycleSteps).All(lr => lr > 0 && lr <= baseLr * (1 + 1e-15));
    }

    [Property(MaxTest = 50)]
    public bool Linear_warmup_is_monotone_and_reaches_the_base(int seed)
    {
        var rng = new Random(seed);
        var baseLr = 0.01 + rng.NextDouble();
        var n = rng.Next(1, 100);
        var warm = S.LinearWarmup(baseLr, n, 0.01 + rng.NextDouble() * 0.98);
        var values = warm.Values(n + 5);
        return values.Zip(values.Skip(1)).All(p => p.Second >= p.First) && Math.Abs(values[n] - baseLr) < 1e-12;
    }
}
