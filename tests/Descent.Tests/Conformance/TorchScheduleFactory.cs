using System.Text.Json.Nodes;
using Descent.Schedules;

namespace Descent.Tests.Conformance;

/// <summary>Builds a Descent schedule from a torch lr_scheduler class name and its constructor keywords.</summary>
internal static class TorchScheduleFactory
{
    // Every constructor keyword of these torch 1.13 scheduler classes (the optimizer argument aside).
    private static readonly Dictionary<string, string[]> Keywords = new()
    {
        ["StepLR"] = ["step_size", "gamma", "last_epoch", "verbose"],
        ["MultiStepLR"] = ["milestones", "gamma", "last_epoch", "verbose"],
        ["ExponentialLR"] = ["gamma", "last_epoch", "verbose"],
        ["LinearLR"] = ["start_factor", "end_factor", "total_iters", "last_epoch", "verbose"],
        ["ConstantLR"] = ["factor", "total_iters", "last_epoch", "verbose"],
        ["PolynomialLR"] = ["total_iters", "power", "last_epoch", "verbose"],
        ["CosineAnnealingLR"] = ["T_max", "eta_min", "last_epoch", "verbose"],
        ["CosineAnnealingWarmRestarts"] = ["T_0", "T_mult", "eta_min", "last_epoch", "verbose"],
        ["OneCycleLR"] = ["max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy", "cycle_momentum",
            "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase", "last_epoch", "verbose"],
        ["CyclicLR"] = ["base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma", "scale_fn", "scale_mode",
            "cycle_momentum", "base_momentum", "max_momentum", "last_epoch", "verbose"],
        ["SequentialLR"] = ["schedulers", "milestones", "last_epoch", "verbose"],
        ["ReduceLROnPlateau"] = ["mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps", "verbose"],
    };

    public static void CheckKeywords(string caseName, string torchClass, JsonObject p)
    {
        if (!Keywords.TryGetValue(torchClass, out var known))
        {
            throw new FixtureException(caseName, $"unknown scheduler class '{torchClass}' (known: {string.Join(", ", Keywords.Keys)}).");
        }

        foreach (var (key, value) in p)
        {
            if (!known.Contains(key))
            {
                throw new FixtureException(caseName, $"unknown keyword '{key}' for {torchClass} (known: {string.Join(", ", known)}).");
            }

            var json = value?.ToJsonString();
            var unsupported = key switch
            {
                "last_epoch" => json != "-1",
                "verbose" or "three_phase" => json != "false",
                "scale_fn" => json != "null",
                "scale_mode" => json != "null" && json != "\"iterations\"" && !(torchClass == "CyclicLR" && json == "\"cycle\"" && ModeIsCycleScaled(p)),
                "epochs" or "steps_per_epoch" => json != "null",
                _ => false,
            };
            if (unsupported)
            {
                throw new FixtureException(caseName, $"keyword '{key}' = {json} is not supported for {torchClass}.");
            }
        }
    }

    private static bool ModeIsCycleScaled(JsonObject p) => (string?)p["mode"] is "triangular" or "triangular2" or null;

    /// <summary>The lr schedule and, for one-cycle and cyclic, the momentum schedule.</summary>
    public static CycleSchedule Create(string caseName, string torchClass, JsonObject p, double baseLr)
    {
        CheckKeywords(caseName, torchClass, p);
        double D(string key, double fallback) => p[key] is { } n ? TorchJson.Number(n, $"{caseName}.{key}") : fallback;
        int I(string key, int fallback) => p[key] is { } n ? (int)TorchJson.Number(n, $"{caseName}.{key}") : fallback;
        bool B(string key, bool fallback) => p[key] is { } n ? n.GetValue<bool>() : fallback;
        string S(string key, string fallback) => p[key] is { } n ? n.GetValue<string>() : fallback;
        int[] Ints(string key) => TorchJson.Vector(p[key], $"{caseName}.{key}").Select(x => (int)x).ToArray();
        CycleSchedule Only(Schedule s) => new(s, null);

        return torchClass switch
        {
            "StepLR" => Only(LrSchedules.Step(baseLr, I("step_size", 0), D("gamma", 0.1))),
            "MultiStepLR" => Only(LrSchedules.MultiStep(baseLr, Ints("milestones"), D("gamma", 0.1))),
            "ExponentialLR" => Only(LrSchedules.Exponential(baseLr, D("gamma", 0))),
            "LinearLR" => Only(LrSchedules.Linear(baseLr, D("start_factor", 1.0 / 3), D("end_factor", 1.0), I("total_iters", 5))),
            "ConstantLR" => Only(LrSchedules.ConstantFactor(baseLr, D("factor", 1.0 / 3), I("total_iters", 5))),
            "PolynomialLR" => Only(LrSchedules.Polynomial(baseLr, I("total_iters", 5), D("power", 1.0))),
            "CosineAnnealingLR" => Only(LrSchedules.CosineAnnealing(baseLr, I("T_max", 0), D("eta_min", 0))),
            "CosineAnnealingWarmRestarts" => Only(LrSchedules.CosineWarmRestarts(baseLr, I("T_0", 0), I("T_mult", 1), D("eta_min", 0))),
            "OneCycleLR" => LrSchedules.OneCycle(D("max_lr", 0), I("total_steps", 0), D("pct_start", 0.3),
                S("anneal_strategy", "cos") switch
                {
                    "cos" => AnnealStrategy.Cosine,
                    "linear" => AnnealStrategy.Linear,
                    var other => throw new FixtureException(caseName, $"unknown anneal_strategy '{other}'."),
                },
                D("div_factor", 25), D("final_div_factor", 1e4), B("cycle_momentum", true), D("base_momentum", 0.85), D("max_momentum", 0.95)),
            "CyclicLR" => LrSchedules.Cyclic(D("base_lr", 0), D("max_lr", 0), I("step_size_up", 2000),
                p["step_size_down"] is null ? null : I("step_size_down", 0),
                S("mode", "triangular") switch
                {
                    "triangular" => CyclicMode.Triangular,
                    "triangular2" => CyclicMode.Triangular2,
                    "exp_range" => CyclicMode.ExpRange,
                    var other => throw new FixtureException(caseName, $"unknown CyclicLR mode '{other}'."),
                },
                D("gamma", 1.0), B("cycle_momentum", true), D("base_momentum", 0.8), D("max_momentum", 0.9)),
            "SequentialLR" => Only(LrSchedules.Sequential(
                p["schedulers"]!.AsArray().Select((s, i) =>
                    Create($"{caseName}.schedulers[{i}]", (string)s!["scheduler"]!, s["params"]!.AsObject(), baseLr).LearningRate).ToArray(),
                Ints("milestones"))),
            _ => throw new FixtureException(caseName, $"scheduler class '{torchClass}' has no function form."),
        };
    }
}
