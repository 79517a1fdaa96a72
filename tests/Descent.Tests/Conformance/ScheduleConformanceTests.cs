using System.Text.Json.Nodes;
using Descent.Schedules;
using Xunit.Abstractions;

namespace Descent.Tests.Conformance;

/// <summary>Every schedule case in Fixtures/torch/schedules/*.json, against PyTorch 1.13.</summary>
public class ScheduleConformanceTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseKeys()
    {
        var data = new TheoryData<string>();
        foreach (var (key, _) in TorchJson.Cases("schedules"))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseKeys))]
    public void Matches_torch(string key)
    {
        var worst = Check(TorchJson.Cases("schedules").Single(x => x.Key == key).Case);
        output.WriteLine($"{key}: largest relative deviation {worst:E2}");
    }

    [Fact]
    public void Every_scheduler_class_is_covered()
    {
        var classes = TorchJson.Cases("schedules").Select(x => (string)x.Case["scheduler"]!).ToHashSet();
        string[] all = ["ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "ExponentialLR", "LinearLR",
            "MultiStepLR", "OneCycleLR", "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepLR"];
        Assert.Equal(all, classes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Largest_deviation_over_all_cases_is_within_tolerance()
    {
        var worst = TorchJson.Cases("schedules").Select(x => (x.Key, Worst: Check(x.Case))).MaxBy(x => x.Worst);
        output.WriteLine($"largest relative deviation: {worst.Worst:E2} ({worst.Key})");
        Assert.True(worst.Worst < 1e-9);
    }

    [Fact]
    public void Unknown_keyword_fails_loudly_naming_the_case()
    {
        var p = JsonNode.Parse("""{"step_size": 3, "gama": 0.5}""")!.AsObject();
        var ex = Assert.Throws<FixtureException>(() => TorchScheduleFactory.Create("typo_case", "StepLR", p, 0.1));
        Assert.Contains("typo_case", ex.Message);
        Assert.Contains("gama", ex.Message);
    }

    [Fact]
    public void Unknown_class_and_unsupported_values_fail_loudly()
    {
        Assert.Contains("LambdaLR", Assert.Throws<FixtureException>(() =>
            TorchScheduleFactory.Create("c1", "LambdaLR", new JsonObject(), 0.1)).Message);
        var threePhase = JsonNode.Parse("""{"max_lr": 0.1, "total_steps": 10, "three_phase": true}""")!.AsObject();
        Assert.Contains("three_phase", Assert.Throws<FixtureException>(() =>
            TorchScheduleFactory.Create("c2", "OneCycleLR", threePhase, 0.1)).Message);
    }

    private static double Check(JsonObject c)
    {
        var name = (string)c["name"]!;
        var torchClass = (string)c["scheduler"]!;
        var p = c["params"]!.AsObject();
        var baseLr = TorchJson.Number(c["base_lr"], $"{name}.base_lr");
        var lrs = TorchJson.Vector(c["lrs"], $"{name}.lrs");
        var worst = 0.0;

        void Compare(string what, int i, double actual, double expected)
        {
            Assert.True(TorchJson.Close(actual, expected), $"{name}: {what}[{i}] = {actual:R}, torch {expected:R}");
            worst = Math.Max(worst, TorchJson.Deviation(actual, expected));
        }

        if (torchClass == "ReduceLROnPlateau")
        {
            TorchScheduleFactory.CheckKeywords(name, torchClass, p);
            var plateau = new ReduceOnPlateau(baseLr,
                (string?)p["mode"] == "max" ? PlateauMode.Max : PlateauMode.Min,
                p["factor"] is { } f ? TorchJson.Number(f, "factor") : 0.1,
                p["patience"] is { } pa ? (int)TorchJson.Number(pa, "patience") : 10,
                p["threshold"] is { } th ? TorchJson.Number(th, "threshold") : 1e-4,
                (string?)p["threshold_mode"] == "abs" ? ThresholdMode.Absolute : ThresholdMode.Relative,
                p["cooldown"] is { } cd ? (int)TorchJson.Number(cd, "cooldown") : 0,
                p["min_lr"] is { } ml ? TorchJson.Number(ml, "min_lr") : 0,
                p["eps"] is { } e ? TorchJson.Number(e, "eps") : 1e-8);
            var metrics = TorchJson.Vector(c["metrics"], $"{name}.metrics");
            var after = TorchJson.Vector(c["lrs_after_step"], $"{name}.lrs_after_step");
            for (var i = 0; i < metrics.Length; i++)
            {
                Compare("lrs", i, plateau.LearningRate, lrs[i]);
                Compare("lrs_after_step", i, plateau.Report(metrics[i]), after[i]);
            }

            return worst;
        }

        var schedule = TorchScheduleFactory.Create(name, torchClass, p, baseLr);
        for (var i = 0; i < lrs.Length; i++)
        {
            Compare("lrs", i, schedule.LearningRate(i), lrs[i]);
        }

        if (c["momentums"] is { } moms)
        {
            var expected = TorchJson.Vector(moms, $"{name}.momentums");
            var optimizerMomentum = TorchJson.Number(c["optimizer_hyper"]!["momentum"], $"{name}.optimizer_hyper.momentum");
            for (var i = 0; i < expected.Length; i++)
            {
                // Without momentum cycling torch leaves the optimizer's own momentum alone.
                Compare("momentums", i, schedule.Momentum?.Invoke(i) ?? optimizerMomentum, expected[i]);
            }
        }

        return worst;
    }
}
