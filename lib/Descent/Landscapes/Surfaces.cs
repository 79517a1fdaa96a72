using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;

namespace Descent.Landscapes;

/// <summary>Rosenbrock's banana valley (1 − x)² + b(y − x²)²; minimum at (1, 1).</summary>
/// <param name="B">The valley's steepness (100 classically).</param>
public sealed class Rosenbrock(double B = 100) : Landscape
{
    /// <inheritdoc />
    public override string Name => "Rosenbrock";

    /// <inheritdoc />
    public override double Value(double x, double y) => (1 - x) * (1 - x) + B * (y - x * x) * (y - x * x);

    /// <inheritdoc />
    public override (double Dx, double Dy) Gradient(double x, double y) =>
        (-2 * (1 - x) - 4 * B * x * (y - x * x), 2 * B * (y - x * x));

    /// <inheritdoc />
    public override Matrix<double> Hessian(double x, double y) =>
        M(2 - 4 * B * (y - 3 * x * x), -4 * B * x, -4 * B * x, 2 * B);

    /// <inheritdoc />
    public override (double X, double Y)? Minimum => (1, 1);

    /// <inheritdoc />
    public override (double X, double Y) Start => (-1.5, 2);

    /// <inheritdoc />
    public override (double XMin, double XMax, double YMin, double YMax) Window => (-2, 2, -1, 3);
}

/// <summary>Beale's function; minimum at (3, 0.5).</summary>
public sealed class Beale : Landscape
{
    /// <inheritdoc />
    public override string Name => "Beale";

    /// <inheritdoc />
    public override double Value(double x, double y)
    {
        var (a, b, c) = Terms(x, y);
        return a * a + b * b + c * c;
    }

    /// <inheritdoc />
    public override (double Dx, double Dy) Gradient(double x, double y)
    {
        var (a, b, c) = Terms(x, y);
        return (2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
                2 * a * x + 4 * b * x * y + 6 * c * x * y * y);
    }

    /// <inheritdoc />
    public override Matrix<double> Hessian(double x, double y)
    {
        var (a, b, c) = Terms(x, y);
        var (ax, bx, cx) = (y - 1, y * y - 1, y * y * y - 1);
        var (ay, by, cy) = (x, 2 * x * y, 3 * x * y * y);
        var hxx = 2 * (ax * ax + bx * bx + cx * cx);
        var hyy = 2 * (ay * ay + by * by + cy * cy) + 2 * (b * 2 * x + c * 6 * x * y);
        var hxy = 2 * (ax * ay + bx * by + cx * cy) + 2 * (a + b * 2 * y + c * 3 * y * y);
        return M(hxx, hxy, hxy, hyy);
    }

    /// <inheritdoc />
    public override (double X, double Y)? Minimum => (3, 0.5);

    /// <inheritdoc />
    public override (double X, double Y) Start => (1, 1.5);

    /// <inheritdoc />
    public override (double XMin, double XMax, double YMin, double YMax) Window => (-1, 4, -1.5, 2);

    private static (double A, double B, double C) Terms(double x, double y) =>
        (1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y);
}

/// <summary>Himmelblau's function (x² + y − 11)² + (x + y² − 7)²: four minima of value 0; <see cref="Minimum"/> is (3, 2).</summary>
public sealed class Himmelblau : Landscape
{
    /// <inheritdoc />
    public override string Name => "Himmelblau";

    /// <inheritdoc />
    public override double Value(double x, double y)
    {
        var (a, b) = (x * x + y - 11, x + y * y - 7);
        return a * a + b * b;
    }

    /// <inheritdoc />
    public override (double Dx, double Dy) Gradient(double x, double y)
    {
        var (a, b) = (x * x + y - 11, x + y * y - 7);
        return (4 * a * x + 2 * b, 2 * a + 4 * b * y);
    }

    /// <inheritdoc />
    public override Matrix<double> Hessian(double x, double y)
    {
        var (a, b) = (x * x + y - 11, x + y * y - 7);
        var hxy = 4 * x + 4 * y;
        return M(4 * a + 8 * x * x + 2, hxy, hxy, 2 + 4 * b + 8 * y * y);
    }

    /// <inheritdoc />
    public override (double X, double Y)? Minimum => (3, 2);

    /// <inheritdoc />
    public override (double X, double Y) Start => (0, 0);

    /// <inheritdoc />
    public override (double XMin, double XMax, double YMin, double YMax) Window => (-5, 5, -5, 5);
}

/// <summary>
/// A saddle ½(x² − εy²)·… made bounded: L = ½x² − ½y² + y⁴/4. At the origin the gradient vanishes but the surface
/// curves down in y; the minima are at (0, ±1). A start on the ridge (y ≈ 0) shows how long plain GD lingers there.
/// </summary>
public sealed class Saddle : Landscape
{
    /// <inheritdoc />
    public override string Name => "saddle";

    /// <inheritdoc />
    public override double Value(double x, double y) => 0.5 * x * x - 0.5 * y * y + 0.25 * y * y * y * y;

    /// <inheritdoc />
    public override (double Dx, double Dy) Gradient(double x, double y) => (x, -y + y * y * y);

    /// <inheritdoc />
    public override Matrix<double> Hessian(double x, double y) => M(1, 0, 0, -1 + 3 * y * y);

    /// <inheritdoc />
    public override (double X, double Y)? Minimum => (0, 1);

    /// <inheritdoc />
    public override (double X, double Y) Start => (-2, 1e-3);

    /// <inheritdoc />
    public override (double XMin, double XMax, double YMin, double YMax) Window => (-2.5, 2.5, -1.6, 1.6);
}

/// <summary>
/// Many minima: a bowl ½λ(x² + y²) plus ripples a·(2 − cos(ωx) − cos(ωy)). The global minimum is the origin; the
/// ripples add shallow local minima that plain GD can stop in.
/// </summary>
/// <param name="Lambda">The bowl's curvature.</param>
/// <param name="Amplitude">The ripples' height a.</param>
/// <param name="Frequency">The ripples' angular frequency ω.</param>
public sealed class Ripples(double Lambda = 0.2, double Amplitude = 0.15, double Frequency = 3) : Landscape
{
    /// <inheritdoc />
    public override string Name => "ripples";

    /// <inheritdoc />
    public override double Value(double x, double y) =>
        0.5 * Lambda * (x * x + y * y) + Amplitude * (2 - Math.Cos(Frequency * x) - Math.Cos(Frequency * y));

    /// <inheritdoc />
    public override (double Dx, double Dy) Gradient(double x, double y) =>
        (Lambda * x + Amplitude * Frequency * Math.Sin(Frequency * x), Lambda * y + Amplitude * Frequency * Math.Sin(Frequency * y));

    /// <inheritdoc />
    public override Matrix<double> Hessian(double x, double y) =>
        M(Lambda + Amplitude * Frequency * Frequency * Math.Cos(Frequency * x), 0, 0, Lambda + Amplitude * Frequency * Frequency * Math.Cos(Frequency * y));

    /// <inheritdoc />
    public override (double X, double Y)? Minimum => (0, 0);

    /// <inheritdoc />
    public override (double X, double Y) Start => (-4, 3.5);

    /// <inheritdoc />
    public override (double XMin, double XMax, double YMin, double YMax) Window => (-5, 5, -5, 5);
}

/// <summary>
/// A quadratic whose gradients carry Gaussian noise of standard deviation σ per coordinate, as minibatch gradients
/// do: <see cref="SampleGradient"/> is ∇L + σ·ξ. The value and the exact gradient stay noiseless.
/// </summary>
public sealed class NoisyQuadratic : Quadratic
{
    private readonly Normal _noise;

    /// <summary>Creates ½(λ₁x² + λ₂y²) with gradient noise σ from a seeded generator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">σ is negative.</exception>
    public NoisyQuadratic(double lambda1 = 1, double lambda2 = 1, double sigma = 1, int seed = 0)
        : base(lambda1, lambda2, 0, $"noisy quadratic σ={sigma:0.###}")
    {
        if (!(sigma >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"sigma must be ≥ 0, but was {sigma}.");
        }

        Sigma = sigma;
        _noise = new Normal(0, 1, new Xoshiro256StarStar(seed));
    }

    /// <summary>σ, the noise's standard deviation per coordinate.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    public override (double Dx, double Dy) SampleGradient(double x, double y)
    {
        var (dx, dy) = Gradient(x, y);
        return (dx + Sigma * _noise.Sample(), dy + Sigma * _noise.Sample());
    }
}
