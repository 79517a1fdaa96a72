using Descent.Landscapes;
using Descent.Optimizers;

namespace Descent.Tests.Landscapes;

public class LandscapeTests
{
    public static TheoryData<string> Names() => new(Surfaces.Keys);

    private static readonly Dictionary<string, Func<Landscape>> Surfaces = new()
    {
        ["bowl"] = () => Quadratic.Bowl(2),
        ["ravine"] = () => Quadratic.Ravine(25),
        ["rotated ravine"] = () => Quadratic.Ravine(25, 30),
        ["rosenbrock"] = () => new Rosenbrock(),
        ["beale"] = () => new Beale(),
        ["himmelblau"] = () => new Himmelblau(),
        ["saddle"] = () => new Saddle(),
        ["ripples"] = () => new Ripples(),
        ["noisy"] = () => new NoisyQuadratic(1, 4, 0.5, 1),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_and_hessian_match_finite_differences(string name)
    {
        var surface = Surfaces[name]();
        var rng = new Random(11);
        for (var k = 0; k < 20; k++)
        {
            var (x0, x1, y0, y1) = surface.Window;
            var (x, y) = (x0 + rng.NextDouble() * (x1 - x0), y0 + rng.NextDouble() * (y1 - y0));
            const double h = 1e-5;
            var (gx, gy) = surface.Gradient(x, y);
            var nx = (surface.Value(x + h, y) - surface.Value(x - h, y)) / (2 * h);
            var ny = (surface.Value(x, y + h) - surface.Value(x, y - h)) / (2 * h);
            Assert.True(Math.Abs(gx - nx) <= 1e-5 * (1 + Math.Abs(nx)), $"{name} ∂x at ({x}, {y}): {gx} vs {nx}");
            Assert.True(Math.Abs(gy - ny) <= 1e-5 * (1 + Math.Abs(ny)), $"{name} ∂y at ({x}, {y}): {gy} vs {ny}");
            var hessian = surface.Hessian(x, y);
            var hxx = (surface.Gradient(x + h, y).Dx - surface.Gradient(x - h, y).Dx) / (2 * h);
            var hxy = (surface.Gradient(x, y + h).Dx - surface.Gradient(x, y - h).Dx) / (2 * h);
            var hyy = (surface.Gradient(x, y + h).Dy - surface.Gradient(x, y - h).Dy) / (2 * h);
            Assert.True(Math.Abs(hessian[0, 0] - hxx) <= 1e-4 * (1 + Math.Abs(hxx)), $"{name} Hxx");
            Assert.True(Math.Abs(hessian[0, 1] - hxy) <= 1e-4 * (1 + Math.Abs(hxy)), $"{name} Hxy");
            Assert.True(Math.Abs(hessian[1, 1] - hyy) <= 1e-4 * (1 + Math.Abs(hyy)), $"{name} Hyy");
        }

        if (surface.Minimum is { } m)
        {
            var (gx, gy) = surface.Gradient(m.X, m.Y);
            Assert.True(Math.Abs(gx) < 1e-9 && Math.Abs(gy) < 1e-9, $"{name}: gradient at the minimum is ({gx}, {gy})");
        }
    }

    [Fact]
    public void Ravine_curvatures_are_one_and_kappa_whatever_the_rotation()
    {
        Assert.Equal([1.0, 25.0], Quadratic.Ravine(25, 30).Curvatures(0.3, -1).Select(c => Math.Round(c, 9)));
        Assert.Equal(25, Quadratic.Ravine(25).ConditionNumber);
        Assert.Throws<ArgumentOutOfRangeException>(() => Quadratic.Ravine(0.5));
    }

    [Fact]
    public void Run_records_points_losses_and_rates_and_stops_on_divergence()
    {
        var bowl = Quadratic.Bowl(1);
        var ok = bowl.Run(p => new Sgd(p, 0.5), 10, "SGD");
        Assert.Equal(11, ok.Xs.Length);
        Assert.Equal(10, ok.LearningRates.Length);
        Assert.False(ok.Diverged);
        Assert.True(ok.FinalLoss < ok.Losses[0]);
        var bad = bowl.Run(p => new Sgd(p, 3.0), 1000, "SGD, η=3");
        Assert.True(bad.Diverged);
        Assert.True(bad.Steps < 1000);
    }

    [Fact]
    public void Noisy_quadratic_is_reproducible_from_its_seed()
    {
        var a = new NoisyQuadratic(sigma: 1, seed: 3).Run(p => new Sgd(p, 0.1), 50, "a");
        var b = new NoisyQuadratic(sigma: 1, seed: 3).Run(p => new Sgd(p, 0.1), 50, "b");
        Assert.Equal(a.Xs, b.Xs);
    }

    [Fact]
    public void Steps_to_loss_is_the_step_after_which_the_loss_stays_below()
    {
        var t = new Trajectory("t", [0, 0, 0, 0], [0, 0, 0, 0], [5, 0.5, 2, 0.1], [], [], null);
        Assert.Equal(3, t.StepsToLoss(1));
        Assert.Null(t.StepsToLoss(0.01));
    }
}

public class TrajectoryTests
{
    [Fact]
    public void Take_keeps_the_first_steps_with_their_records()
    {
        var run = Quadratic.Bowl(1).Run(p => new Sgd(p, 0.1), 30, "SGD");
        var head = run.Take(10);
        Assert.Equal(10, head.Steps);
        Assert.Equal(run.Xs[..11], head.Xs);
        Assert.Equal(10, head.LearningRates.Length);
        Assert.Equal(run.Losses[10], head.FinalLoss);
        Assert.Equal(30, run.Take(100).Steps);
    }
}
