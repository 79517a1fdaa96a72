using Descent.Data;
using Descent.Optimizers;

namespace Descent.Models;

/// <summary>Linear regression ŷ = X·w + b with the mean squared error L = (1/n)·Σ(ŷ − y)².</summary>
public sealed class LinearRegression : IModel
{
    private readonly Affine _f;
    private readonly Parameter _w;
    private readonly Parameter _b;

    /// <summary>Creates the model for <paramref name="inputs"/> features, weights at zero.</summary>
    public LinearRegression(int inputs)
    {
        _f = new Affine(inputs);
        (_w, _b) = (_f.W, _f.B);
    }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [_w, _b];

    /// <summary>ŷ for each sample.</summary>
    public double[] Predict(Dataset data) => Enumerable.Range(0, data.Count).Select(i => Output(data, i)).ToArray();

    /// <inheritdoc />
    public double Loss(Dataset data)
    {
        Check(data);
        return Enumerable.Range(0, data.Count).Select(i => Math.Pow(Output(data, i) - data.Targets[i], 2)).Average();
    }

    /// <inheritdoc />
    public double LossAndGradient(Dataset data)
    {
        Check(data);
        Array.Clear(_w.Gradient);
        _b.Gradient[0] = 0;
        var loss = 0.0;
        var n = data.Count;
        var x = Affine.ColumnMajor(data);
        for (var i = 0; i < n; i++)
        {
            var r = Output(data, i) - data.Targets[i];
            loss += r * r / n;
            // ∂L/∂w = (2/n)·Σ r·x,  ∂L/∂b = (2/n)·Σ r
            for (var j = 0; j < _w.Length; j++)
            {
                _w.Gradient[j] += 2 * r * x[(j * n) + i] / n;
            }

            _b.Gradient[0] += 2 * r / n;
        }

        return loss;
    }

    /// <inheritdoc />
    public double Accuracy(Dataset data) => double.NaN;

    private double Output(Dataset data, int i) => _f.At(data, i);

    private void Check(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Targets.Length != data.Count)
        {
            throw new ArgumentException("linear regression needs real targets.", nameof(data));
        }

        _f.CheckFeatures(data);
    }
}

/// <summary>Binary logistic regression p = σ(x·w + b) with the mean binary cross-entropy; labels 0 or 1.</summary>
public sealed class LogisticRegression : IModel
{
    private readonly Affine _f;
    private readonly Parameter _w;
    private readonly Parameter _b;

    /// <summary>Creates the model for <paramref name="inputs"/> features, weights at zero.</summary>
    public LogisticRegression(int inputs)
    {
        _f = new Affine(inputs);
        (_w, _b) = (_f.W, _f.B);
    }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [_w, _b];

    /// <summary>P(y = 1) for each sample.</summary>
    public double[] Probabilities(Dataset data) => Enumerable.Range(0, data.Count).Select(i => Sigmoid(Logit(data, i))).ToArray();

    /// <inheritdoc />
    public double Loss(Dataset data)
    {
        Check(data);
        return Enumerable.Range(0, data.Count).Select(i => PointLoss(Logit(data, i), data.Labels[i])).Average();
    }

    /// <inheritdoc />
    public double LossAndGradient(Dataset data)
    {
        Check(data);
        Array.Clear(_w.Gradient);
        _b.Gradient[0] = 0;
        var loss = 0.0;
        var n = data.Count;
        var x = Affine.ColumnMajor(data);
        for (var i = 0; i < n; i++)
        {
            var z = Logit(data, i);
            loss += PointLoss(z, data.Labels[i]) / n;
            // ∂L/∂z = σ(z) − y
            var r = (Sigmoid(z) - data.Labels[i]) / n;
            for (var j = 0; j < _w.Length; j++)
            {
                _w.Gradient[j] += r * x[(j * n) + i];
            }

            _b.Gradient[0] += r;
        }

        return loss;
    }

    /// <inheritdoc />
    public double Accuracy(Dataset data)
    {
        Check(data);
        return Enumerable.Range(0, data.Count).Count(i => (Logit(data, i) > 0 ? 1 : 0) == data.Labels[i]) / (double)data.Count;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    // −[y·log σ(z) + (1 − y)·log(1 − σ(z))], written stably.
    private static double PointLoss(double z, int y) => Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private double Logit(Dataset data, int i) => _f.At(data, i);

    private void Check(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _f.CheckFeatures(data);

        if (data.Labels.Length != data.Count || data.Labels.Any(l => l is not (0 or 1)))
        {
            throw new ArgumentException("logistic regression needs labels 0 or 1.", nameof(data));
        }
    }
}

/// <summary>The affine map x·w + b both linear models are built on: its parameters w (zeroed) and b, its value, the feature check.</summary>
internal sealed class Affine
{
    public Affine(int inputs)
    {
        Guard.Requires(inputs, inputs >= 1, nameof(inputs), "≥ 1");
        W = new Parameter("w", new double[inputs]);
        B = new Parameter("b", new double[1]);
    }

    public Parameter W { get; }

    public Parameter B { get; }

    /// <summary>X's values, column-major (X[i, j] at j·n + i): the dense matrix's own array, without copying.</summary>
    public static double[] ColumnMajor(Dataset data) => data.Features.AsColumnMajorArray() ?? data.Features.ToColumnMajorArray();

    /// <summary>x·w + b for sample <paramref name="i"/>.</summary>
    public double At(Dataset data, int i)
    {
        var x = ColumnMajor(data);
        var n = data.Count;
        var s = B.Value[0];
        for (var j = 0; j < W.Length; j++)
        {
            s += x[(j * n) + i] * W.Value[j];
        }

        return s;
    }

    public void CheckFeatures(Dataset data)
    {
        if (data.FeatureCount != W.Length)
        {
            throw new ArgumentException($"the model takes {Guard.Show(W.Length)} features, but the data has {Guard.Show(data.FeatureCount)}.", nameof(data));
        }
    }
}
