using Descent.Data;
using Descent.Models;
using Descent.Optimizers;

namespace Descent.Benchmarks;

/// <summary>The workloads both the BenchmarkDotNet suite and the quick side-by-side mode measure.</summary>
internal static class Workloads
{
    /// <summary>The optimizers compared with PyTorch, with torch's settings (torch.optim.Adam/AdamW/SGD(momentum=0.9)/RMSprop).</summary>
    public static readonly string[] Optimizers = ["Adam", "AdamW", "SGD+momentum", "RMSprop"];

    public static OptimizerBase Create(string name, Parameter[] p) => name switch
    {
        "Adam" => new Adam(p, 1e-3),
        "AdamW" => new AdamW(p, 1e-3),
        "SGD+momentum" => new Sgd(p, 1e-3, momentum: 0.9),
        "RMSprop" => new RmsProp(p, 1e-3),
        _ => throw new ArgumentException($"unknown optimizer '{name}'", nameof(name)),
    };

    /// <summary>
    /// Bytes a step must move per scalar: every array it reads once plus every array it writes once (a written array is
    /// read first, so there is no extra write-allocate traffic). Adam/AdamW read θ, g, m, v and write θ, m, v;
    /// SGD with momentum reads θ, g, b and writes θ, b; RMSprop reads θ, g, v and writes θ, v.
    /// </summary>
    public static int BytesPerScalar(string name) => name switch
    {
        "Adam" or "AdamW" => 7 * sizeof(double),
        "SGD+momentum" or "RMSprop" => 5 * sizeof(double),
        _ => throw new ArgumentException($"unknown optimizer '{name}'", nameof(name)),
    };

    /// <summary>A single parameter buffer of <paramref name="n"/> doubles with a fixed pseudo-random θ and gradient.</summary>
    public static Parameter NewParameter(int n, int seed = 1)
    {
        var rng = new Random(seed);
        var p = new Parameter("theta", new double[n]);
        for (var i = 0; i < n; i++)
        {
            p.Value[i] = rng.NextDouble() - 0.5;
            p.Gradient[i] = (rng.NextDouble() - 0.5) * 1e-2;
        }

        return p;
    }

    /// <summary>STREAM triad arrays a, b, c of length <paramref name="n"/>, touched once so their pages exist.</summary>
    public static (double[] A, double[] B, double[] C) NewTriad(int n)
    {
        var (a, b, c) = (new double[n], new double[n], new double[n]);
        Array.Fill(a, 0.0);
        Array.Fill(b, 1.0);
        Array.Fill(c, 2.0);
        return (a, b, c);
    }

    public static void Triad(double[] a, double[] b, double[] c) => StreamTriad.Run(a, b, c, 3.0);

    /// <summary>Triad bytes per element as STREAM counts them: read b, c and write a (not counting a's write-allocate read).</summary>
    public const int TriadBytes = 3 * sizeof(double);

    /// <summary>The digits (1797 × 64) scaled to [0, 1] by ÷16, as the torch script loads them.</summary>
    public static Dataset Digits()
    {
        var d = Datasets.Digits();
        return d with { Features = d.Features / 16.0 };
    }

    /// <summary>The MLP 64-64-10 (ReLU) and Adam(η = 1e-3), as the torch script builds them.</summary>
    public static (Mlp Model, OptimizerBase Optimizer) NewMlp()
    {
        var model = new Mlp([64, 64, 10], Activation.Relu, seed: 0);
        return (model, new Adam(model.Parameters, 1e-3));
    }

    /// <summary>One epoch: shuffled minibatches of 32, each a forward and backward pass and an optimizer step.</summary>
    public static double MlpEpoch(Mlp model, OptimizerBase optimizer, Dataset data, int epoch)
    {
        var loss = 0.0;
        foreach (var batch in data.Batches(32, seed: 0, epoch))
        {
            loss = model.LossAndGradient(batch);
            optimizer.Step();
        }

        return loss;
    }
}
