using MathNet.Numerics.LinearAlgebra;

namespace Descent.Landscapes;

/// <summary>
/// A 2-D loss surface L(x, y) with its analytic gradient ∇L and, where defined, its Hessian. Optimizers walk it
/// through <see cref="LandscapeRun"/>.
/// </summary>
public abstract class Landscape
{
    /// <summary>A short name for legends and tables.</summary>
    public abstract string Name { get; }

    /// <summary>L(x, y).</summary>
    public abstract double Value(double x, double y);

    /// <summary>∇L(x, y) = (∂L/∂x, ∂L/∂y).</summary>
    public abstract (double Dx, double Dy) Gradient(double x, double y);

    /// <summary>The Hessian ∇²L(x, y) (2×2).</summary>
    public abstract Matrix<double> Hessian(double x, double y);

    /// <summary>The global minimum, when known.</summary>
    public abstract (double X, double Y)? Minimum { get; }

    /// <summary>A start point the course uses for this surface.</summary>
    public abstract (double X, double Y) Start { get; }

    /// <summary>A window that shows the interesting part of the surface: (xMin, xMax, yMin, yMax).</summary>
    public abstract (double XMin, double XMax, double YMin, double YMax) Window { get; }

    /// <summary>The gradient at (x, y) as a training step sees it (the noisy quadratic adds noise here).</summary>
    public virtual (double Dx, double Dy) SampleGradient(double x, double y) => Gradient(x, y);

    /// <summary>Eigenvalues of the Hessian at (x, y), ascending: the curvatures λ along its principal directions.</summary>
    public double[] Curvatures(double x, double y) =>
        Hessian(x, y).Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Order().ToArray();

    /// <summary>Distance from (x, y) to the known minimum.</summary>
    /// <exception cref="InvalidOperationException">The surface has no known minimum.</exception>
    public double DistanceToMinimum(double x, double y)
    {
        var (mx, my) = Minimum ?? throw new InvalidOperationException($"{Name} has no known minimum.");
        return Math.Sqrt((x - mx) * (x - mx) + (y - my) * (y - my));
    }

    /// <summary>L sampled on an n×n grid over <see cref="Window"/>, for contour plots: (xs, ys, z[y][x]).</summary>
    public (double[] Xs, double[] Ys, double[][] Z) Grid(int n = 80)
    {
        if (n < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be at least 2, but was {n}.");
        }

        var (x0, x1, y0, y1) = Window;
        var xs = Enumerable.Range(0, n).Select(i => x0 + (x1 - x0) * i / (n - 1)).ToArray();
        var ys = Enumerable.Range(0, n).Select(i => y0 + (y1 - y0) * i / (n - 1)).ToArray();
        var z = ys.Select(y => xs.Select(x => Value(x, y)).ToArray()).ToArray();
        return (xs, ys, z);
    }

    /// <summary>A 2×2 matrix [[a, b], [c, d]].</summary>
    protected static Matrix<double> M(double a, double b, double c, double d) =>
        Matrix<double>.Build.DenseOfArray(new[,] { { a, b }, { c, d } });
}
