using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Descent.Optimizers;

namespace Descent.Benchmarks;

/// <summary>
/// The quick measurement side-by-side/compare.py runs next to PyTorch: for each size, STREAM triad and one step of each
/// optimizer (fast path, fast path without the non-finite check, readable loop), measured in interleaved rounds so every
/// figure sees the same machine noise; then MLP epochs on the digits. Prints medians and writes them as JSON.
/// Single-threaded throughout.
/// </summary>
internal static class SideBySide
{
    public static int Run(string[] args)
    {
        var sizes = new[] { 1_000_000, 10_000_000 };
        var reps = 15;
        var mlpEpochs = 15;
        string? json = null;
        var serve = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--serve":
                    serve = true;
                    break;
                case "--sizes":
                    sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--reps":
                    reps = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--mlp-epochs":
                    mlpEpochs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--json":
                    json = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: steps [--sizes 1000000,10000000] [--reps 15] [--mlp-epochs 15] [--json out.json]");
                    return 2;
            }
        }

        if (serve)
        {
            return Serve(sizes);
        }

        var result = new JsonObject
        {
            ["threads"] = 1,
            ["vector_bits"] = Optimizers.Fast.FusedUpdates.NativeBits,
            ["reps"] = reps,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
        var sizeResults = new JsonArray();
        foreach (var n in sizes)
        {
            sizeResults.Add(MeasureSize(n, reps));
            GC.Collect();
        }

        result["sizes"] = sizeResults;
        result["mlp"] = MeasureMlp(mlpEpochs);
        if (json is not null)
        {
            File.WriteAllText(json, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    /// <summary>
    /// For compare.py's paired rounds: sets every size up once, then answers commands on stdin with one JSON line each —
    /// <c>round</c>: the triad and one step of every case at every size, in seconds; <c>mlp</c>: one MLP epoch in
    /// seconds; <c>quit</c>. Rounds of ours and of torch alternate, so each pair sees the same machine.
    /// </summary>
    private static int Serve(int[] sizes)
    {
        var setups = sizes.Select(n => (N: n, Triad: Workloads.NewTriad(n), Cases: NewCases(n))).ToArray();
        var data = Workloads.Digits();
        var (model, optimizer) = Workloads.NewMlp();
        var epoch = 0;
        var hello = new JsonObject
        {
            ["ready"] = true,
            ["vector_bits"] = Optimizers.Fast.FusedUpdates.NativeBits,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["bytes_per_scalar"] = new JsonObject(Workloads.Optimizers.Select(o => KeyValuePair.Create(o, (JsonNode?)Workloads.BytesPerScalar(o)))),
            ["steps_per_epoch"] = data.BatchesPerEpoch(32),
        };
        Console.WriteLine(hello.ToJsonString());
        while (Console.ReadLine() is { } command)
        {
            switch (command.Trim())
            {
                case "round":
                    var round = new JsonObject();
                    foreach (var (n, (a, b, c), cases) in setups)
                    {
                        var times = new JsonObject();
                        var clock = Stopwatch.StartNew();
                        Workloads.Triad(a, b, c);
                        times["triad"] = clock.Elapsed.TotalSeconds;
                        foreach (var (key, o) in cases)
                        {
                            clock.Restart();
                            o.Step();
                            times[key] = clock.Elapsed.TotalSeconds;
                        }

                        round[n.ToString(CultureInfo.InvariantCulture)] = times;
                    }

                    Console.WriteLine(round.ToJsonString());
                    break;
                case "mlp":
                    var watch = Stopwatch.StartNew();
                    Workloads.MlpEpoch(model, optimizer, data, ++epoch);
                    Console.WriteLine(JsonValue.Create(watch.Elapsed.TotalSeconds).ToJsonString());
                    break;
                case "quit":
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown command '{command}': round | mlp | quit");
                    return 2;
            }
        }

        return 0;
    }

    /// <summary>One optimizer per (name, variant): the fast path as it ships, without the check, and the readable loop.</summary>
    private static List<(string Key, OptimizerBase Optimizer)> NewCases(int n)
    {
        var cases = new List<(string Key, OptimizerBase Optimizer)>();
        foreach (var name in Workloads.Optimizers)
        {
            var fast = Workloads.Create(name, [Workloads.NewParameter(n)]);
            var noCheck = Workloads.Create(name, [Workloads.NewParameter(n)]);
            noCheck.AllowNonFiniteGradients = true;
            var readable = Workloads.Create(name, [Workloads.NewParameter(n)]);
            readable.UseReferenceLoop = true;
            cases.Add(($"{name}|fast", fast));
            cases.Add(($"{name}|fast_nocheck", noCheck));
            cases.Add(($"{name}|readable", readable));
        }

        return cases;
    }

    private static JsonObject MeasureSize(int n, int reps)
    {
        var (a, b, c) = Workloads.NewTriad(n);
        var cases = NewCases(n);
        var times = cases.ToDictionary(x => x.Key, _ => new List<double>());
        var triad = new List<double>();
        for (var round = -2; round < reps; round++)
        {
            // Rounds interleave every workload; the first two are warm-up (JIT tiers, page faults).
            var clock = Stopwatch.StartNew();
            Workloads.Triad(a, b, c);
            var tTriad = clock.Elapsed.TotalSeconds;
            if (round >= 0)
            {
                triad.Add(tTriad);
            }

            foreach (var (key, optimizer) in cases)
            {
                clock.Restart();
                optimizer.Step();
                var t = clock.Elapsed.TotalSeconds;
                if (round >= 0)
                {
                    times[key].Add(t);
                }
            }
        }

        var triadS = Median(triad);
        var node = new JsonObject
        {
            ["n"] = n,
            ["triad_s"] = triadS,
            ["triad_samples"] = Samples(triad),
            ["triad_bytes_per_element"] = Workloads.TriadBytes,
            ["triad_gbs"] = Workloads.TriadBytes * (double)n / triadS / 1e9,
        };
        var optimizers = new JsonObject();
        Console.WriteLine($"n = {n:N0}: triad {triadS * 1e3:F3} ms = {node["triad_gbs"]!.GetValue<double>():F1} GB/s (24 B/element)");
        foreach (var name in Workloads.Optimizers)
        {
            var o = new JsonObject { ["bytes_per_scalar"] = Workloads.BytesPerScalar(name) };
            foreach (var kind in new[] { "fast", "fast_nocheck", "readable" })
            {
                o[$"{kind}_s"] = Median(times[$"{name}|{kind}"]);
                o[$"{kind}_samples"] = Samples(times[$"{name}|{kind}"]);
            }

            var bound = Workloads.BytesPerScalar(name) * (double)n / (Workloads.TriadBytes * (double)n / triadS);
            o["bound_s"] = bound;
            optimizers[name] = o;
            Console.WriteLine(
                $"  {name,-13} fast {o["fast_s"]!.GetValue<double>() * 1e3,8:F3} ms  (no check {o["fast_nocheck_s"]!.GetValue<double>() * 1e3,8:F3})  readable {o["readable_s"]!.GetValue<double>() * 1e3,8:F3} ms  bound {bound * 1e3,8:F3} ms");
        }

        node["optimizers"] = optimizers;
        return node;
    }

    private static JsonObject MeasureMlp(int epochs)
    {
        var data = Workloads.Digits();
        var (model, optimizer) = Workloads.NewMlp();
        var times = new List<double>();
        var loss = 0.0;
        for (var e = -2; e < epochs; e++)
        {
            var clock = Stopwatch.StartNew();
            loss = Workloads.MlpEpoch(model, optimizer, data, e + 3);
            if (e >= 0)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        var median = Median(times);
        Console.WriteLine($"MLP 64-64-10, digits, batch 32, Adam: {median * 1e3:F2} ms per epoch (last batch loss {loss:F4})");
        return new JsonObject
        {
            ["epoch_s"] = median,
            ["epoch_samples"] = Samples(times),
            ["epochs"] = epochs,
            ["samples"] = data.Count,
            ["steps_per_epoch"] = data.BatchesPerEpoch(32),
            ["last_loss"] = loss,
        };
    }

    private static JsonArray Samples(List<double> xs) => new(xs.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }
}
