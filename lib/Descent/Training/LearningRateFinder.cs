using Descent.Data;
using Descent.Models;
using Descent.Optimizers;

namespace Descent.Training;

/// <summary>The outcome of a learning-rate range test: the η tried at each step and the loss it produced.</summary>
/// <param name="LearningRates">η at each step, growing geometrically.</param>
/// <param name="Losses">The minibatch loss at each step.</param>
/// <param name="SmoothedLosses">The bias-corrected exponential moving average of <paramref name="Losses"/>.</param>
/// <param name="StoppedEarly">Whether the sweep stopped because the smoothed loss exceeded the divergence factor × its best.</param>
public sealed record RangeTestResult(double[] LearningRates, double[] Losses, double[] SmoothedLosses, bool StoppedEarly)
{
    /// <summary>η where the smoothed loss was lowest.</summary>
    public double MinimumLossRate => LearningRates[Array.IndexOf(SmoothedLosses, SmoothedLosses.Min())];

    /// <summary>The classic rule of thumb: one tenth of <see cref="MinimumLossRate"/>.</summary>
    public double MinimumOverTen => MinimumLossRate / 10;

    /// <summary>
    /// η where the smoothed loss falls fastest per unit of log η (the steepest negative slope), searched before the
    /// minimum, as fast.ai's "steep" suggestion.
    /// </summary>
    public double Steepest
    {
        get
        {
            var end = Array.IndexOf(SmoothedLosses, SmoothedLosses.Min());
            if (end < 2)
            {
                return LearningRates[0];
            }

            var best = 1;
            var bestSlope = double.PositiveInfinity;
            for (var i = 1; i < end; i++)
            {
                // Central difference in log η.
                var slope = (SmoothedLosses[i + 1] - SmoothedLosses[i - 1]) / (Math.Log(LearningRates[i + 1]) - Math.Log(LearningRates[i - 1]));
                if (slope < bestSlope)
                {
                    (best, bestSlope) = (i, slope);
                }
            }

            return LearningRates[best];
        }
    }
}

/// <summary>
/// The learning-rate range test (Smith 2017; fast.ai's <c>lr_find</c>): train for a short sweep while η grows
/// geometrically from <c>start</c> to <c>end</c>, and read off where the loss falls fastest and where it blows up.
/// </summary>
public static class LearningRateFinder
{
    /// <summary>Runs the sweep. The model is trained in place: build a fresh model for the real run.</summary>
    /// <param name="model">The model to sweep with.</param>
    /// <param name="optimizer">An optimizer over the model's parameters; its η is overwritten at every step.</param>
    /// <param name="train">Training data.</param>
    /// <param name="batchSize">Minibatch size.</param>
    /// <param name="steps">Sweep length; one epoch when null.</param>
    /// <param name="start">First η.</param>
    /// <param name="end">Last η.</param>
    /// <param name="seed">Minibatch order seed.</param>
    /// <param name="smoothing">β of the loss's moving average.</param>
    /// <param name="divergenceFactor">Stop when the smoothed loss exceeds this multiple of its best.</param>
    public static RangeTestResult RangeTest(
        IModel model, IOptimizer optimizer, Dataset train, int batchSize, int? steps = null, double start = 1e-5, double end = 10,
        int seed = 0, double smoothing = 0.9, double divergenceFactor = 4)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        if (!(start > 0) || !(end > start))
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"the sweep needs 0 < start < end, but start = {start} and end = {end}.");
        }

        if (!(smoothing >= 0 && smoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, $"smoothing must be in [0, 1), but was {smoothing}.");
        }

        var n = steps ?? train.BatchesPerEpoch(batchSize);
        if (n < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), n, $"the sweep needs at least 3 steps, but has {n}.");
        }

        if (optimizer is OptimizerBase b)
        {
            b.AllowNonFiniteGradients = true;
        }

        var (rates, losses, smoothed) = (new List<double>(), new List<double>(), new List<double>());
        var average = 0.0;
        var best = double.PositiveInfinity;
        var epoch = 0;
        while (rates.Count < n)
        {
            foreach (var batch in train.Batches(batchSize, seed, ++epoch))
            {
                var i = rates.Count;
                // η_i = start·(end/start)^(i/(n−1))
                optimizer.LearningRate = start * Math.Pow(end / start, i / (double)(n - 1));
                var loss = model.LossAndGradient(batch);
                average = smoothing * average + (1 - smoothing) * loss;
                var corrected = average / (1 - Math.Pow(smoothing, i + 1));
                rates.Add(optimizer.LearningRate);
                losses.Add(loss);
                smoothed.Add(corrected);
                if (!double.IsFinite(corrected) || corrected > divergenceFactor * best)
                {
                    return new RangeTestResult([.. rates], [.. losses], [.. smoothed], true);
                }

                best = Math.Min(best, corrected);
                optimizer.Step();
                if (rates.Count == n)
                {
                    break;
                }
            }
        }

        return new RangeTestResult([.. rates], [.. losses], [.. smoothed], false);
    }
}
