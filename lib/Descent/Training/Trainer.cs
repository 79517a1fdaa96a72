using Descent.Data;
using Descent.Models;
using Descent.Optimizers;
using Descent.Optimizers.Fast;
using Descent.Schedules;

namespace Descent.Training;

/// <summary>How to train.</summary>
/// <param name="Epochs">Passes over the training set (≥ 0).</param>
/// <param name="BatchSize">Samples per step (≥ 1).</param>
/// <param name="Seed">Seeds the minibatch order.</param>
public sealed record TrainingOptions(int Epochs, int BatchSize, int Seed = 0)
{
    /// <summary>Sets η before every step, counted from 0 over the whole run.</summary>
    public Schedule? Schedule { get; init; }

    /// <summary>Called on the parameters after the backward pass and before the step, e.g. gradient clipping.</summary>
    public Action<IReadOnlyList<Parameter>>? BeforeStep { get; init; }

    /// <summary>Evaluated after every epoch when given.</summary>
    public Dataset? Validation { get; init; }

    /// <summary>Stop when the validation loss has not improved for this many epochs.</summary>
    public int? EarlyStoppingPatience { get; init; }
}

/// <summary>One optimizer step: the minibatch loss, η and the gradient's global norm.</summary>
public sealed record StepRecord(int Step, int Epoch, double Loss, double LearningRate, double GradientNorm);

/// <summary>One epoch (epoch 0 is the model before training): losses and accuracies on the full sets.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, double LearningRate);

/// <summary>What a training run recorded.</summary>
/// <param name="Steps">Every step.</param>
/// <param name="Epochs">Every epoch, starting with epoch 0.</param>
/// <param name="DivergedAtStep">The 1-based step whose loss or parameters went non-finite, or null.</param>
/// <param name="StoppedEarlyAtEpoch">The epoch early stopping ended the run at, or null.</param>
public sealed record TrainingResult(IReadOnlyList<StepRecord> Steps, IReadOnlyList<EpochRecord> Epochs, int? DivergedAtStep, int? StoppedEarlyAtEpoch)
{
    /// <summary>True when the run diverged.</summary>
    public bool Diverged => DivergedAtStep is not null;

    /// <summary>The per-step minibatch losses.</summary>
    public double[] StepLosses => Steps.Select(s => s.Loss).ToArray();

    /// <summary>The per-epoch training losses (epoch 0 first).</summary>
    public double[] EpochLosses => Epochs.Select(e => e.TrainLoss).ToArray();

    /// <summary>The last epoch's training loss (NaN after divergence).</summary>
    public double FinalLoss => Diverged ? double.NaN : Epochs[^1].TrainLoss;
}

/// <summary>The training loop: minibatches, backward pass, optimizer step, records; stops cleanly on divergence.</summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/> with <paramref name="optimizer"/> (built over the model's parameters).</summary>
    /// <exception cref="ArgumentException">The optimizer does not update exactly the model's parameters.</exception>
    public static TrainingResult Train(IModel model, IOptimizer optimizer, Dataset train, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, $"Epochs must be ≥ 0, but was {options.Epochs}.");
        }

        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"BatchSize must be ≥ 1, but was {options.BatchSize}.");
        }

        if (!optimizer.Parameters.SequenceEqual(model.Parameters))
        {
            throw new ArgumentException("the optimizer must be built over the model's Parameters.", nameof(optimizer));
        }

        if (optimizer is OptimizerBase b)
        {
            // Divergence is recorded, not thrown: the course shows diverging runs.
            b.AllowNonFiniteGradients = true;
        }

        var steps = new List<StepRecord>();
        var epochs = new List<EpochRecord> { Evaluate(model, train, options.Validation, 0, optimizer.LearningRate) };
        var step = 0;
        var bestValidation = double.PositiveInfinity;
        var badEpochs = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            foreach (var batch in train.Batches(options.BatchSize, options.Seed, epoch))
            {
                if (options.Schedule is not null)
                {
                    optimizer.LearningRate = options.Schedule(step);
                }

                var loss = model.LossAndGradient(batch);
                options.BeforeStep?.Invoke(model.Parameters);
                var norm = GradientClipping.GlobalNorm(model.Parameters);
                step++;
                steps.Add(new StepRecord(step, epoch, loss, optimizer.LearningRate, norm));
                if (!double.IsFinite(loss) || !double.IsFinite(norm))
                {
                    return new TrainingResult(steps, epochs, step, null);
                }

                optimizer.Step();
                if (AnyNonFinite(model.Parameters))
                {
                    return new TrainingResult(steps, epochs, step, null);
                }
            }

            var record = Evaluate(model, train, options.Validation, epoch, optimizer.LearningRate);
            epochs.Add(record);
            if (!double.IsFinite(record.TrainLoss))
            {
                return new TrainingResult(steps, epochs, step, null);
            }

            if (options.EarlyStoppingPatience is { } patience && record.ValidationLoss is { } v)
            {
                if (v < bestValidation)
                {
                    bestValidation = v;
                    badEpochs = 0;
                }
                else if (++badEpochs > patience)
                {
                    return new TrainingResult(steps, epochs, null, epoch);
                }
            }
        }

        return new TrainingResult(steps, epochs, null, null);
    }

    private static bool AnyNonFinite(IReadOnlyList<Parameter> parameters)
    {
        foreach (var p in parameters)
        {
            if (FusedUpdates.FirstNonFinite(p.Value) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static EpochRecord Evaluate(IModel model, Dataset train, Dataset? validation, int epoch, double lr)
    {
        var (trainLoss, trainAccuracy) = LossAndAccuracy(model, train);
        if (validation is null)
        {
            return new(epoch, trainLoss, trainAccuracy, null, null, lr);
        }

        var (validationLoss, validationAccuracy) = LossAndAccuracy(model, validation);
        return new(epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy, lr);
    }

    /// <summary>Loss and accuracy; an MLP computes both from one forward pass.</summary>
    private static (double Loss, double Accuracy) LossAndAccuracy(IModel model, Dataset data) =>
        model is Mlp mlp ? mlp.LossAndAccuracy(data) : (model.Loss(data), model.Accuracy(data));
}
