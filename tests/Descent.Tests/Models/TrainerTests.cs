using Descent.Data;
using Descent.Models;
using Descent.Optimizers;
using Descent.Schedules;
using Descent.Training;

namespace Descent.Tests.Models;

public class TrainerTests
{
    private static (Dataset Train, Dataset Test) Iris()
    {
        var (train, test) = Datasets.Iris().Split(0.3, seed: 0);
        return Standardizer.FitTransform(train, test);
    }

    [Fact]
    public void Training_softmax_regression_on_iris_lowers_the_loss_and_records_steps_and_epochs()
    {
        var (train, test) = Iris();
        var model = new SoftmaxRegression(4, 3);
        var result = Trainer.Train(model, new Sgd(model.Parameters, 0.1), train, new TrainingOptions(20, 16) { Validation = test });
        Assert.False(result.Diverged);
        Assert.Equal(21, result.Epochs.Count);
        Assert.Equal(20 * train.BatchesPerEpoch(16), result.Steps.Count);
        Assert.True(result.Epochs[^1].TrainLoss < 0.5 * result.Epochs[0].TrainLoss);
        Assert.True(result.Epochs[^1].ValidationAccuracy > 0.85);
    }

    [Fact]
    public void Same_seed_gives_the_same_bits()
    {
        var (train, _) = Iris();
        double[] Run()
        {
            var model = new Mlp([4, 8, 3], seed: 2);
            Trainer.Train(model, new Adam(model.Parameters, 0.01), train, new TrainingOptions(3, 10, Seed: 9));
            return model.Parameters.SelectMany(p => p.Value).ToArray();
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Divergence_stops_cleanly_and_reports_the_step()
    {
        var (train, _) = Iris();
        var model = new Mlp([4, 16, 3], seed: 1);
        var result = Trainer.Train(model, new Sgd(model.Parameters, 1e6), train, new TrainingOptions(50, 8));
        Assert.True(result.Diverged);
        Assert.True(result.DivergedAtStep < 50 * train.BatchesPerEpoch(8));
        Assert.True(double.IsNaN(result.FinalLoss));
    }

    [Fact]
    public void Schedule_sets_the_rate_per_step_and_clipping_runs_before_the_step()
    {
        var (train, _) = Iris();
        var model = new SoftmaxRegression(4, 3);
        var clipped = 0;
        var result = Trainer.Train(model, new Sgd(model.Parameters, 1), train, new TrainingOptions(2, 35)
        {
            Schedule = LrSchedules.Exponential(0.5, 0.9),
            BeforeStep = p => { GradientClipping.ClipByGlobalNorm(p, 0.1); clipped++; },
        });
        Assert.Equal(result.Steps.Count, clipped);
        Assert.Equal(0.5 * Math.Pow(0.9, 3), result.Steps[3].LearningRate, 12);
        Assert.All(result.Steps, s => Assert.True(s.GradientNorm <= 0.1 + 1e-9));
    }

    [Fact]
    public void Early_stopping_ends_when_validation_stops_improving()
    {
        var (train, test) = Iris();
        var model = new Mlp([4, 64, 3], seed: 0);
        var result = Trainer.Train(model, new Adam(model.Parameters, 0.05), train, new TrainingOptions(300, 8) { Validation = test, EarlyStoppingPatience = 3 });
        Assert.NotNull(result.StoppedEarlyAtEpoch);
        Assert.True(result.Epochs.Count < 301);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        var (train, _) = Iris();
        var model = new SoftmaxRegression(4, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(model, new Sgd(model.Parameters, 0.1), train, new TrainingOptions(1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(model, new Sgd(model.Parameters, 0.1), train, new TrainingOptions(-1, 5)));
        var other = new SoftmaxRegression(4, 3);
        Assert.Throws<ArgumentException>(() => Trainer.Train(model, new Sgd(other.Parameters, 0.1), train, new TrainingOptions(1, 5)));
    }
}
