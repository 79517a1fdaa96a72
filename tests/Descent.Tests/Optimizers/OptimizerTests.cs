using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

public class OptimizerTests
{
    public static TheoryData<string> Names() => new(AllOptimizers.Names);

    [Fact]
    public void Parameter_with_no_element_is_rejected_naming_it()
    {
        Assert.Contains("W1", Assert.Throws<ArgumentException>(() => new Parameter("W1", [])).Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Bad_learning_rate_is_rejected_with_name_and_value(double lr)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([new Parameter("w", [1.0])], lr));
        Assert.Equal("learningRate", ex.ParamName);
        Assert.Contains(lr.ToString("R", System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Bad_hyper_parameters_are_rejected_with_name_and_value()
    {
        Parameter[] p = [new Parameter("w", [1.0])];
        AssertRejects("momentum", "-0.5", () => new Sgd(p, 0.1, momentum: -0.5));
        AssertRejects("beta1", "1", () => new Adam(p, beta1: 1.0));
        AssertRejects("beta2", "-0.1", () => new AdamW(p, beta2: -0.1));
        AssertRejects("epsilon", "0", () => new Adam(p, epsilon: 0));
        AssertRejects("weightDecay", "-1", () => new AdamW(p, weightDecay: -1));
        AssertRejects("epsilon", "-1E-08", () => new RmsProp(p, epsilon: -1e-8));
        AssertRejects("learningRateDecay", "-1", () => new Adagrad(p, learningRateDecay: -1));
        AssertRejects("momentumDecay", "-0.004", () => new NAdam(p, momentumDecay: -0.004));
        AssertRejects("beta", "1.5", () => new EmaMomentum(p, 0.1, beta: 1.5));
        var nesterov = Assert.Throws<ArgumentException>(() => new Sgd(p, 0.1, momentum: 0, nesterov: true));
        Assert.Equal("nesterov", nesterov.ParamName);
        Assert.Contains("momentum was 0", nesterov.Message);
        Assert.Throws<ArgumentException>(() => new Sgd(p, 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd([p[0], p[0]], 0.1));
    }

    private static void AssertRejects(string name, string value, Action create)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(name, ex.ParamName);
        Assert.Contains(value, ex.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Non_finite_gradient_is_skipped_and_reported_naming_step_and_buffer_unless_allowed(string name)
    {
        var (w, b) = (new Parameter("weights", [1.0, 2.0, 3.0]), new Parameter("bias", [0.5, -0.5]));
        var optimizer = AllOptimizers.Create(name, [w, b]);
        var twin = AllOptimizers.Create(name, [new Parameter("weights", [1.0, 2.0, 3.0]), new Parameter("bias", [0.5, -0.5])]);
        foreach (var o in new[] { optimizer, twin })
        {
            ((double[])[0.1, 0.2, 0.3]).CopyTo(o.Parameters[0].Gradient, 0);
            ((double[])[0.4, -0.2]).CopyTo(o.Parameters[1].Gradient, 0);
            o.Step();
        }

        // Step 2: 'weights'[1] and 'bias'[0] are non-finite; the twin gets finite gradients everywhere. The skipped
        // entries keep θ and every state array; the others match the twin.
        var state = (OptimizerBase)optimizer;
        Assert.Equal(state.StateBytes, (state.StateBuffers(0).Sum(a => a.Count) + state.StateBuffers(1).Sum(a => a.Count)) * 8L);
        double[] Kept() => [w.Value[1], b.Value[0], .. state.StateBuffers(0).Select(a => a[1]), .. state.StateBuffers(1).Select(a => a[0])];
        var before = Kept();
        b.Gradient[0] = double.NaN;
        w.Gradient[1] = double.NegativeInfinity;
        var ex = Assert.Throws<NonFiniteGradientException>(() => optimizer.Step());
        twin.Step();
        Assert.Contains("'weights'[1] at step 2 (2 non-finite entries in all)", ex.Message);
        Assert.Contains("skipped those entries", ex.Message);
        Assert.Equal(("weights", 1, 2, 2L), (ex.ParameterName, ex.Index, ex.StepNumber, ex.SkippedEntries));
        Assert.Equal(2, optimizer.StepCount);
        Assert.Equal(before, Kept());
        Assert.Equal(twin.Parameters[0].Value[0], w.Value[0]);
        Assert.Equal(twin.Parameters[0].Value[2], w.Value[2]);
        Assert.Equal(twin.Parameters[1].Value[1], b.Value[1]);

        ((OptimizerBase)optimizer).AllowNonFiniteGradients = true;
        optimizer.Step();
        Assert.True(double.IsNaN(b.Value[0]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_step_allocates_nothing(string name)
    {
        var p = new Parameter("w", new double[1000]);
        var q = new Parameter("b", new double[10]);
        var optimizer = AllOptimizers.Create(name, [p, q]);
        Array.Fill(p.Gradient, 0.01);
        Array.Fill(q.Gradient, -0.02);
        optimizer.Step();
        SteadyStateAllocation.AssertNone(optimizer.Step, $"{name}.Step()");
    }

    [Fact]
    public void State_bytes_count_the_buffers_each_optimizer_keeps()
    {
        Parameter[] P() => [new Parameter("w", new double[100]), new Parameter("b", new double[10])];
        const long n = 110 * sizeof(double);
        Assert.Equal(0, new Sgd(P(), 0.1).StateBytes);
        var momentum = new Sgd(P(), 0.1, momentum: 0.9);
        momentum.Step();
        Assert.Equal(n, momentum.StateBytes);
        Assert.Equal(n, new Adagrad(P()).StateBytes);
        Assert.Equal(n, new RmsProp(P()).StateBytes);
        Assert.Equal(3 * n, new RmsProp(P(), centered: true, momentum: 0.9).StateBytes);
        Assert.Equal(2 * n, new Adam(P()).StateBytes);
        Assert.Equal(3 * n, new Adam(P(), amsgrad: true).StateBytes);
        Assert.Equal(2 * n, new AdamW(P()).StateBytes);
    }

    [Fact]
    public void Defaults_equal_torchs()
    {
        Parameter[] p = [new Parameter("w", [1.0])];
        var adam = new Adam(p);
        Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 0.0), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay));
        var adamw = new AdamW(p);
        Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 1e-2), (adamw.LearningRate, adamw.Beta1, adamw.Beta2, adamw.Epsilon, adamw.WeightDecay));
        var rms = new RmsProp(p);
        Assert.Equal((1e-2, 0.99, 1e-8), (rms.LearningRate, rms.Alpha, rms.Epsilon));
        var ada = new Adagrad(p);
        Assert.Equal((1e-2, 1e-10), (ada.LearningRate, ada.Epsilon));
        Assert.Equal(2e-3, new NAdam(p).LearningRate);
        Assert.Equal(4e-3, new NAdam(p).MomentumDecay);
        Assert.Equal(2e-3, new Adamax(p).LearningRate);
        Assert.Equal(1e-3, new RAdam(p).LearningRate);
    }

    [Fact]
    public void Adam_state_exposes_m_v_and_the_corrected_moments()
    {
        var p = new Parameter("w", [0.0]);
        var adam = new Adam([p], learningRate: 0.1);
        p.Gradient[0] = 2.0;
        adam.Step();
        Assert.Equal(0.1 * 2.0, adam.State(0).M[0], 12);
        Assert.Equal(0.001 * 4.0, adam.State(0).V[0], 12);
        Assert.Equal(2.0, adam.MHat(0, 0), 12);
        Assert.Equal(4.0, adam.VHat(0, 0), 12);
    }

    [Fact]
    public void Adam_without_bias_correction_takes_a_first_step_of_about_3_16_lr()
    {
        var p = new Parameter("w", [0.0]);
        var adam = new Adam([p], learningRate: 0.01, epsilon: 1e-12, biasCorrection: false);
        p.Gradient[0] = 0.3;
        adam.Step();
        Assert.Equal(-0.01 * 0.1 / Math.Sqrt(0.001), p.Value[0], 9);
    }

    [Fact]
    public void Ema_momentum_equals_classic_momentum_with_the_rate_rescaled_by_one_minus_beta()
    {
        var rng = new Random(7);
        var (a, b) = (new Parameter("a", [1.0, -2.0]), new Parameter("b", [1.0, -2.0]));
        var ema = new EmaMomentum([a], learningRate: 0.5, beta: 0.9);
        var classic = new Sgd([b], learningRate: 0.5 * (1 - 0.9), momentum: 0.9);
        for (var t = 0; t < 50; t++)
        {
            a.Gradient[0] = b.Gradient[0] = rng.NextDouble() - 0.5;
            a.Gradient[1] = b.Gradient[1] = rng.NextDouble() - 0.5;
            ema.Step();
            classic.Step();
            Assert.Equal(b.Value[0], a.Value[0], 12);
            Assert.Equal(b.Value[1], a.Value[1], 12);
        }
    }

    [Fact]
    public void NAdam_reproduces_torch_1_13_when_asked()
    {
        // Step 1 from θ = 1 with g = 1 (η = 0.05, torch's defaults otherwise): m = 0.1, v/(1 − β₂) = 1, d = 1 + ε, and
        // θ₁ = 1 − η·g/d − η·μ₂/(1 − Π)·m/d, where torch 1.13.1 takes Π = μ₁²μ₂ and the documented formula Π = μ₁μ₂
        // (shared/reference/torch-fixtures.md: the m-term factor 1/(1 − Π) is ≈ 1.1003 in torch 1.13, ≈ 1.2541 documented;
        // OptimizerConformanceTests compares whole trajectories with torch's own).
        var p = new Parameter("w", [1.0]);
        var q = new Parameter("w", [1.0]);
        var documented = new NAdam([p], learningRate: 0.05);
        var torch113 = new NAdam([q], learningRate: 0.05, torch113Compatibility: true);
        p.Gradient[0] = q.Gradient[0] = 1.0;
        documented.Step();
        torch113.Step();
        var (μ1, μ2) = (documented.MomentumAt(1), documented.MomentumAt(2));
        Assert.Equal(0.4501, μ1, 4);
        Assert.Equal(1.1003, 1 / (1 - μ1 * μ1 * μ2), 4);
        Assert.Equal(1.2541, 1 / (1 - μ1 * μ2), 4);
        var d = 1 + Defaults.NAdam.Epsilon;
        double After(double product) => 1 - (0.05 / d) - (0.05 * μ2 / (1 - product) * 0.1 / d);
        Assert.Equal(After(μ1 * μ1 * μ2), q.Value[0], 1e-15);
        Assert.Equal(After(μ1 * μ2), p.Value[0], 1e-15);
    }

    [Fact]
    public void Clipping_by_global_norm_rescales_and_returns_the_norm_before()
    {
        var (w, b) = (new Parameter("w", [0.0, 0.0]), new Parameter("b", [0.0]));
        w.Gradient[0] = 3;
        w.Gradient[1] = 0;
        b.Gradient[0] = 4;
        var norm = GradientClipping.ClipByGlobalNorm([w, b], 1.0);
        Assert.Equal(5, norm, 12);
        Assert.Equal(1.0, GradientClipping.GlobalNorm([w, b]), 6);
        Assert.Equal(3.0 / 4.0, w.Gradient[0] / b.Gradient[0], 12);
        Assert.Equal(1.0, GradientClipping.ClipByGlobalNorm([w, b], 10), 6);
        Assert.Equal(1.0, GradientClipping.GlobalNorm([w, b]), 6);
    }

    [Fact]
    public void Clipping_by_value_clamps_each_entry()
    {
        var w = new Parameter("w", [0.0, 0.0, 0.0]);
        w.Gradient[0] = 3;
        w.Gradient[1] = -0.5;
        w.Gradient[2] = -7;
        GradientClipping.ClipByValue([w], 1.0);
        Assert.Equal([1.0, -0.5, -1.0], w.Gradient);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByValue([w], 0));
    }
}

/// <summary>Every optimizer by name, with torch's defaults (SGD with lr 0.1 and momentum where noted).</summary>
internal static class AllOptimizers
{
    public static readonly string[] Names = ["SGD", "SGD+momentum", "Nesterov", "EMA momentum", "Adagrad", "RMSprop", "RMSprop centered+momentum", "Adam", "AMSGrad", "AdamW", "NAdam", "RAdam", "Adamax"];

    public static IOptimizer Create(string name, Parameter[] p, double lr = 0.01) => name switch
    {
        "SGD" => new Sgd(p, lr),
        "SGD+momentum" => new Sgd(p, lr, momentum: 0.9),
        "Nesterov" => new Sgd(p, lr, momentum: 0.9, nesterov: true),
        "EMA momentum" => new EmaMomentum(p, lr),
        "Adagrad" => new Adagrad(p, lr),
        "RMSprop" => new RmsProp(p, lr),
        "RMSprop centered+momentum" => new RmsProp(p, lr, centered: true, momentum: 0.9),
        "Adam" => new Adam(p, lr),
        "AMSGrad" => new Adam(p, lr, amsgrad: true),
        "AdamW" => new AdamW(p, lr),
        "NAdam" => new NAdam(p, lr),
        "RAdam" => new RAdam(p, lr),
        "Adamax" => new Adamax(p, lr),
        _ => throw new ArgumentException(name),
    };
}
