using BenchmarkDotNet.Attributes;
using Descent.Data;
using Descent.Models;
using Descent.Optimizers;

namespace Descent.Benchmarks;

/// <summary>One optimizer step on a buffer of N doubles: the fused vector kernel (what Step runs) against the readable loop.</summary>
[MemoryDiagnoser]
public class OptimizerStepBenchmarks
{
    private OptimizerBase _fast = null!;
    private OptimizerBase _readable = null!;

    [Params(1_000_000, 10_000_000)]
    public int N { get; set; }

    [ParamsSource(nameof(Names))]
    public string Optimizer { get; set; } = "Adam";

    public static IEnumerable<string> Names => Workloads.Optimizers;

    [GlobalSetup]
    public void Setup()
    {
        _fast = Workloads.Create(Optimizer, [Workloads.NewParameter(N)]);
        _readable = Workloads.Create(Optimizer, [Workloads.NewParameter(N)]);
        _readable.UseReferenceLoop = true;
        _fast.Step();
        _readable.Step();
    }

    /// <summary>Optimizer.Step(): the fused kernel with its non-finite gradient check, as it ships.</summary>
    [Benchmark(Baseline = true)]
    public void Fast() => _fast.Step();

    /// <summary>The readable per-element loop (the reference implementation).</summary>
    [Benchmark]
    public void Readable() => _readable.Step();
}

/// <summary>STREAM triad a ← b + s·c on N doubles (24 bytes per element as STREAM counts it).</summary>
[MemoryDiagnoser]
public class TriadBenchmarks
{
    private double[] _a = [];
    private double[] _b = [];
    private double[] _c = [];

    [Params(1_000_000, 10_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => (_a, _b, _c) = Workloads.NewTriad(N);

    [Benchmark]
    public void Triad() => Workloads.Triad(_a, _b, _c);
}

/// <summary>One training epoch of the 64-64-10 MLP on the digits, batch 32, Adam.</summary>
[MemoryDiagnoser]
public class MlpEpochBenchmarks
{
    private Dataset _data = null!;
    private Mlp _model = null!;
    private OptimizerBase _optimizer = null!;
    private int _epoch;

    [GlobalSetup]
    public void Setup()
    {
        _data = Workloads.Digits();
        (_model, _optimizer) = Workloads.NewMlp();
    }

    [Benchmark]
    public double Epoch() => Workloads.MlpEpoch(_model, _optimizer, _data, ++_epoch);
}
