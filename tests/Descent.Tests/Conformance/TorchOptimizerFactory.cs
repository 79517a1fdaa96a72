using System.Text.Json.Nodes;
using Descent.Optimizers;

namespace Descent.Tests.Conformance;

/// <summary>Builds a Descent optimizer from a torch class name and its constructor keywords.</summary>
internal static class TorchOptimizerFactory
{
    // Every constructor keyword of these torch 1.13 classes. Keywords that only select a code path (foreach,
    // capturable, differentiable, fused) are accepted at their default values only.
    private static readonly Dictionary<string, string[]> Keywords = new()
    {
        ["SGD"] = ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable"],
        ["Adagrad"] = ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "foreach", "maximize", "differentiable"],
        ["RMSprop"] = ["lr", "alpha", "eps", "weight_decay", "momentum", "centered", "foreach", "maximize", "differentiable"],
        ["Adam"] = ["lr", "betas", "eps", "weight_decay", "amsgrad", "foreach", "maximize", "capturable", "differentiable", "fused"],
        ["AdamW"] = ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable", "differentiable", "fused"],
        ["NAdam"] = ["lr", "betas", "eps", "weight_decay", "momentum_decay", "foreach", "differentiable"],
        ["RAdam"] = ["lr", "betas", "eps", "weight_decay", "foreach", "differentiable"],
        ["Adamax"] = ["lr", "betas", "eps", "weight_decay", "foreach", "maximize", "differentiable"],
    };

    private static readonly string[] PathSelectors = ["foreach", "capturable", "differentiable", "fused"];

    public static IOptimizer Create(string caseName, string torchClass, JsonObject hyper, Parameter parameter)
    {
        if (!Keywords.TryGetValue(torchClass, out var known))
        {
            throw new FixtureException(caseName, $"unknown optimizer class '{torchClass}' (known: {string.Join(", ", Keywords.Keys)}).");
        }

        foreach (var (key, value) in hyper)
        {
            if (!known.Contains(key))
            {
                throw new FixtureException(caseName, $"unknown keyword '{key}' for {torchClass} (known: {string.Join(", ", known)}).");
            }

            if (PathSelectors.Contains(key) && value is not null && value.ToJsonString() is not ("false" or "null"))
            {
                throw new FixtureException(caseName, $"keyword '{key}' = {value.ToJsonString()} is not supported (only its default).");
            }
        }

        double D(string key, double fallback) => hyper[key] is { } node ? TorchJson.Number(node, $"{caseName}.hyper.{key}") : fallback;
        bool B(string key) => hyper[key] is { } node && node.GetValue<bool>();
        double Beta(int i, double fallback) => hyper["betas"] is { } node ? TorchJson.Vector(node, $"{caseName}.hyper.betas")[i] : fallback;
        Parameter[] ps = [parameter];

        return torchClass switch
        {
            "SGD" => new Sgd(ps, hyper["lr"] is null ? throw new FixtureException(caseName, "SGD needs lr.") : D("lr", 0),
                D("momentum", Defaults.Sgd.Momentum), D("dampening", Defaults.Sgd.Dampening), B("nesterov"),
                D("weight_decay", Defaults.Sgd.WeightDecay), B("maximize")),
            "Adagrad" => new Adagrad(ps, D("lr", Defaults.Adagrad.LearningRate), D("lr_decay", Defaults.Adagrad.LearningRateDecay),
                D("weight_decay", Defaults.Adagrad.WeightDecay), D("initial_accumulator_value", Defaults.Adagrad.InitialAccumulatorValue),
                D("eps", Defaults.Adagrad.Epsilon), B("maximize")),
            "RMSprop" => new RmsProp(ps, D("lr", Defaults.RmsProp.LearningRate), D("alpha", Defaults.RmsProp.Alpha),
                D("eps", Defaults.RmsProp.Epsilon), D("weight_decay", Defaults.RmsProp.WeightDecay), D("momentum", Defaults.RmsProp.Momentum),
                B("centered"), B("maximize")),
            "Adam" => new Adam(ps, D("lr", Defaults.Adam.LearningRate), Beta(0, Defaults.Adam.Beta1), Beta(1, Defaults.Adam.Beta2),
                D("eps", Defaults.Adam.Epsilon), D("weight_decay", Defaults.Adam.WeightDecay), B("amsgrad"), B("maximize")),
            "AdamW" => new AdamW(ps, D("lr", Defaults.AdamW.LearningRate), Beta(0, Defaults.AdamW.Beta1), Beta(1, Defaults.AdamW.Beta2),
                D("eps", Defaults.AdamW.Epsilon), D("weight_decay", Defaults.AdamW.WeightDecay), B("amsgrad"), B("maximize")),
            "NAdam" => new NAdam(ps, D("lr", Defaults.NAdam.LearningRate), Beta(0, Defaults.NAdam.Beta1), Beta(1, Defaults.NAdam.Beta2),
                D("eps", Defaults.NAdam.Epsilon), D("weight_decay", Defaults.NAdam.WeightDecay), D("momentum_decay", Defaults.NAdam.MomentumDecay)),
            "RAdam" => new RAdam(ps, D("lr", Defaults.RAdam.LearningRate), Beta(0, Defaults.RAdam.Beta1), Beta(1, Defaults.RAdam.Beta2),
                D("eps", Defaults.RAdam.Epsilon), D("weight_decay", Defaults.RAdam.WeightDecay)),
            "Adamax" => new Adamax(ps, D("lr", Defaults.Adamax.LearningRate), Beta(0, Defaults.Adamax.Beta1), Beta(1, Defaults.Adamax.Beta2),
                D("eps", Defaults.Adamax.Epsilon), D("weight_decay", Defaults.Adamax.WeightDecay), B("maximize")),
            _ => throw new FixtureException(caseName, $"unknown optimizer class '{torchClass}'."),
        };
    }
}
