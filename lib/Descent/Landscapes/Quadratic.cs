using MathNet.Numerics.LinearAlgebra;

namespace Descent.Landscapes;

/// <summary>
/// A quadratic bowl L = ½(λ₁u² + λ₂w²), where (u, w) are (x, y) rotated by <see cref="Angle"/>. λ₁ = λ₂ is the round
/// bowl; κ = λ₂/λ₁ ≫ 1 is a ravine. The Hessian is constant, so GD is stable iff η &lt; 2/λmax and the best fixed step
/// is 2/(λmin + λmax).
/// </summary>
public class Quadratic : Landscape
{
    private readonly double _cos;
    private readonly double _sin;

    /// <summary>Creates ½(λ₁u² + λ₂w²) with the axes rotated by <paramref name="angleDegrees"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A curvature is not positive.</exception>
    public Quadratic(double lambda1, double lambda2, double angleDegrees = 0, string? name = null)
    {
        if (!(lambda1 > 0) || !(lambda2 > 0))
        {
            throw new ArgumentOutOfRangeException(lambda1 > 0 ? nameof(lambda2) : nameof(lambda1),
                $"curvatures must be > 0, but were λ₁ = {lambda1}, λ₂ = {lambda2}.");
        }

        Lambda1 = lambda1;
        Lambda2 = lambda2;
        Angle = angleDegrees;
        _cos = Math.Cos(angleDegrees * Math.PI / 180);
        _sin = Math.Sin(angleDegrees * Math.PI / 180);
        Name = name ?? (lambda1 == lambda2 ? "bowl" : $"ravine κ={Math.Max(lambda1, lambda2) / Math.Min(lambda1, lambda2):0.#}");
    }

    /// <summary>The round bowl ½λ(x² + y²).</summary>
    public static Quadratic Bowl(double lambda = 1.0) => new(lambda, lambda, 0, "bowl");

    /// <summary>A ravine with curvatures 1 and κ, rotated by <paramref name="angleDegrees"/>.</summary>
    public static Quadratic Ravine(double conditionNumber = 20, double angleDegrees = 0)
    {
        if (!(conditionNumber >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(conditionNumber), conditionNumber, $"conditionNumber must be ≥ 1, but was {conditionNumber}.");
        }

        return new Quadratic(1.0, conditionNumber, angleDegrees, angleDegrees == 0 ? $"ravine κ={conditionNumber:0.#}" : $"ravine κ={conditionNumber:0.#}, {angleDegrees:0.#}°");
    }

    /// <summary>λ₁, the curvature along the rotated x axis.</summary>
    public double Lambda1 { get; }

    /// <summary>λ₂, the curvature along the rotated y axis.</summary>
    public double Lambda2 { get; }

    /// <summary>The rotation in degrees.</summary>
    public double Angle { get; }

    /// <summary>κ = λmax/λmin.</summary>
    public double ConditionNumber => Math.Max(Lambda1, Lambda2) / Math.Min(Lambda1, Lambda2);

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override (double X, double Y)? Minimum => (0, 0);

    /// <inheritdoc />
    public override (double X, double Y) Start => (-4, 2);

    /// <inheritdoc />
    public override (double XMin, double XMax, double YMin, double YMax) Window => (-5, 5, -3, 3);

    /// <inheritdoc />
    public override double Value(double x, double y)
    {
        var (u, w) = Rotate(x, y);
        return 0.5 * (Lambda1 * u * u + Lambda2 * w * w);
    }

    /// <inheritdoc />
    public override (double Dx, double Dy) Gradient(double x, double y)
    {
        var (u, w) = Rotate(x, y);
        var (gu, gw) = (Lambda1 * u, Lambda2 * w);
        // Back to (x, y): the rotation is orthogonal, so its transpose undoes it.
        return (_cos * gu - _sin * gw, _sin * gu + _cos * gw);
    }

    /// <inheritdoc />
    public override Matrix<double> Hessian(double x, double y)
    {
        var r = M(_cos, -_sin, _sin, _cos);
        return r * M(Lambda1, 0, 0, Lambda2) * r.Transpose();
    }

    private (double U, double W) Rotate(double x, double y) => (_cos * x + _sin * y, -_sin * x + _cos * y);
}
