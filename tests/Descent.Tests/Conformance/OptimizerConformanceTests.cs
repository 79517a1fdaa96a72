using System.Text.Json.Nodes;
using Descent.Optimizers;
using Xunit.Abstractions;

namespace Descent.Tests.Conformance;

/// <summary>Every optimizer case in Fixtures/torch/optimizers/*.json, against PyTorch 1.13.</summary>
public class OptimizerConformanceTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseKeys()
    {
        var data = new TheoryData<string>();
        foreach (var (key, _) in TorchJson.Cases("optimizers"))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseKeys))]
    public void Matches_torch(string key)
    {
        var c = TorchJson.Cases("optimizers").Single(x => x.Key == key).Case;
        var (worst, _) = Check(c);
        output.WriteLine($"{key}: largest relative deviation {worst:E2}");
    }

    [Fact]
    public void Every_optimizer_class_is_covered_including_loss_driven_and_diverging_runs()
    {
        var cases = TorchJson.Cases("optimizers").Select(x => x.Case).ToList();
        var classes = cases.Select(c => (string)c["optimizer"]!).ToHashSet();
        Assert.Equal(["Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RMSprop", "SGD"], classes.Order(StringComparer.Ordinal));
        Assert.Contains(cases, c => (string)c["kind"]! == "loss" && (string)c["loss"]! == "rosenbrock");
        Assert.Contains(cases, c => (string)c["kind"]! == "loss" && (string)c["loss"]! == "quadratic_1_50");
        Assert.Contains(cases, c => c["diverged_at_step"] is not null);
    }

    [Fact]
    public void Largest_deviation_over_all_cases_is_reported_and_within_tolerance()
    {
        var worst = TorchJson.Cases("optimizers").Select(x => (x.Key, Check(x.Case).Worst)).MaxBy(x => x.Worst);
        output.WriteLine($"largest relative deviation over {TorchJson.Cases("optimizers").Count()} cases: {worst.Worst:E2} ({worst.Key})");
        Assert.True(worst.Worst < 1e-9, $"{worst.Key}: {worst.Worst}");
    }

    [Fact]
    public void NAdam_with_torch113_compatibility_matches_torchs_own_trajectory()
    {
        var cases = TorchJson.Cases("optimizers").Select(x => x.Case).Where(c => (string)c["optimizer"]! == "NAdam" && (string)c["kind"]! == "fixed_grads").ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var h = c["hyper"]!;
            var betas = TorchJson.Vector(h["betas"], "betas");
            var p = new Parameter("theta", TorchJson.Vector(c["x0"], "x0"));
            var nadam = new NAdam([p], TorchJson.Number(h["lr"], "lr"), betas[0], betas[1], TorchJson.Number(h["eps"], "eps"),
                TorchJson.Number(h["weight_decay"], "wd"), TorchJson.Number(h["momentum_decay"], "md"), torch113Compatibility: true);
            var grads = TorchJson.Matrix(c["grads"], "grads");
            var expected = TorchJson.Matrix(c["trajectory"], "trajectory");
            for (var k = 0; k < grads.Length; k++)
            {
                Array.Copy(grads[k], p.Gradient, p.Length);
                nadam.Step();
                for (var i = 0; i < p.Length; i++)
                {
                    Assert.True(TorchJson.Close(p.Value[i], expected[k][i]), $"{c["name"]}: step {k + 1}, θ[{i}] = {p.Value[i]:R}, torch 1.13 {expected[k][i]:R}");
                }
            }
        }
    }

    [Fact]
    public void Unknown_keyword_fails_loudly_naming_the_case()
    {
        var bad = JsonNode.Parse("""{"lr": 0.1, "nesterov_momentum": 0.9}""")!.AsObject();
        var ex = Assert.Throws<FixtureException>(() => TorchOptimizerFactory.Create("my_case", "SGD", bad, new Parameter("x", [1.0])));
        Assert.Contains("my_case", ex.Message);
        Assert.Contains("nesterov_momentum", ex.Message);
    }

    [Fact]
    public void Unknown_class_fails_loudly_naming_the_case()
    {
        var ex = Assert.Throws<FixtureException>(() =>
            TorchOptimizerFactory.Create("lion_case", "Lion", new JsonObject(), new Parameter("x", [1.0])));
        Assert.Contains("lion_case", ex.Message);
        Assert.Contains("Lion", ex.Message);
    }

    [Fact]
    public void Unsupported_code_path_selector_fails_loudly()
    {
        var hyper = JsonNode.Parse("""{"lr": 0.1, "capturable": true}""")!.AsObject();
        var ex = Assert.Throws<FixtureException>(() => TorchOptimizerFactory.Create("cap", "Adam", hyper, new Parameter("x", [1.0])));
        Assert.Contains("capturable", ex.Message);
    }

    /// <summary>Runs one case and asserts every coordinate; returns the largest relative deviation.</summary>
    private static (double Worst, int Steps) Check(JsonObject c)
    {
        var name = (string)c["name"]!;
        var kind = (string)c["kind"]!;
        var torchClass = (string)c["optimizer"]!;
        var x0 = TorchJson.Vector(c["x0"], $"{name}.x0");
        var expectedKey = torchClass == "NAdam" ? "trajectory_documented_formula" : "trajectory";
        var expected = TorchJson.Matrix(c[expectedKey], $"{name}.{expectedKey}");
        var parameter = new Parameter("theta", (double[])x0.Clone());
        var optimizer = (OptimizerBase)TorchOptimizerFactory.Create(name, torchClass, c["hyper"]!.AsObject(), parameter);
        optimizer.AllowNonFiniteGradients = true;

        double[][]? grads = kind switch
        {
            "fixed_grads" => TorchJson.Matrix(c["grads"], $"{name}.grads"),
            "loss" => null,
            _ => throw new FixtureException(name, $"unknown kind '{kind}'."),
        };
        var loss = kind == "loss" ? LossFunctions.Get(name, (string)c["loss"]!) : null;
        double[]? expectedLosses = kind == "loss"
            ? TorchJson.Vector(c[torchClass == "NAdam" ? "losses_documented_formula" : "losses"], $"{name}.losses")
            : null;

        var worst = 0.0;
        for (var k = 0; k < expected.Length; k++)
        {
            if (grads is not null)
            {
                Array.Copy(grads[k], parameter.Gradient, parameter.Length);
            }
            else
            {
                loss!.Value.Gradient(parameter.Value, parameter.Gradient);
            }

            optimizer.Step();
            for (var i = 0; i < parameter.Length; i++)
            {
                var (actual, want) = (parameter.Value[i], expected[k][i]);
                Assert.True(TorchJson.Close(actual, want),
                    $"{name}: step {k + 1}, θ[{i}] = {actual:R}, torch {want:R} (|Δ| = {Math.Abs(actual - want):E2})");
                worst = Math.Max(worst, TorchJson.Deviation(actual, want));
            }

            if (expectedLosses is not null)
            {
                var l = loss!.Value.Value(parameter.Value);
                Assert.True(TorchJson.Close(l, expectedLosses[k]), $"{name}: step {k + 1}, loss {l:R}, torch {expectedLosses[k]:R}");
                worst = Math.Max(worst, TorchJson.Deviation(l, expectedLosses[k]));
            }
        }

        return (worst, expected.Length);
    }
}

/// <summary>The fixture losses, with gradients in exactly the analytic form the generator used.</summary>
internal static class LossFunctions
{
    public static (Func<double[], double> Value, Action<double[], double[]> Gradient)? Get(string caseName, string loss) => loss switch
    {
        "rosenbrock" => (
            θ => (1 - θ[0]) * (1 - θ[0]) + 100 * (θ[1] - θ[0] * θ[0]) * (θ[1] - θ[0] * θ[0]),
            (θ, g) =>
            {
                var (x, y) = (θ[0], θ[1]);
                g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
                g[1] = 200 * (y - x * x);
            }
        ),
        "quadratic_1_50" => (
            θ => 0.5 * (θ[0] * θ[0] + 50 * θ[1] * θ[1]),
            (θ, g) =>
            {
                g[0] = θ[0];
                g[1] = 50 * θ[1];
            }
        ),
        _ => throw new FixtureException(caseName, $"unknown loss '{loss}'."),
    };
}
