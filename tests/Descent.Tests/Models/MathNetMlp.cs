using Descent.Data;
using Descent.Models;
using Descent.Optimizers;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;

namespace Descent.Tests.Models;

/// <summary>
/// The MLP as it was written with MathNet matrix products (a fresh matrix per product), kept as the reference the fast
/// <see cref="Mlp"/> must equal bit for bit. A multilayer perceptron with softmax cross-entropy: Z_l = A_{l−1}·W_lᵀ + b_l, A_l = act(Z_l), p = softmax(Z_L),
/// L = −(1/n)·Σ log p_{y}. With no hidden layer it is softmax regression. Weights live in the parameter buffers
/// (column-major W_l of shape out×in), so optimizers update the model in place.
/// </summary>
internal class MathNetMlp : IModel
{
    private readonly int[] _sizes;
    private readonly Parameter[] _parameters;
    private readonly Matrix<double>[] _weights;
    private readonly Matrix<double>[] _weightGradients;

    /// <summary>Creates an MLP with layer sizes [inputs, hidden…, classes], He (ReLU) or Xavier (tanh, none) initialisation from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two sizes, or a size below 1.</exception>
    public MathNetMlp(IReadOnlyList<int> sizes, Activation activation = Activation.Relu, int seed = 0, bool zeroInit = false)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2 || sizes.Any(s => s < 1))
        {
            throw new ArgumentException($"layer sizes must be at least [inputs, classes] with every size ≥ 1, but were [{string.Join(", ", sizes)}].", nameof(sizes));
        }

        _sizes = sizes.ToArray();
        Activation = activation;
        var layers = _sizes.Length - 1;
        var rng = new Xoshiro256StarStar(seed);
        var parameters = new List<Parameter>();
        _weights = new Matrix<double>[layers];
        _weightGradients = new Matrix<double>[layers];
        for (var l = 0; l < layers; l++)
        {
            var (fanIn, fanOut) = (_sizes[l], _sizes[l + 1]);
            var std = activation == Activation.Relu && l < layers - 1 ? Math.Sqrt(2.0 / fanIn) : Math.Sqrt(1.0 / fanIn);
            var w = new double[fanOut * fanIn];
            if (!zeroInit)
            {
                Normal.Samples(rng, w, 0, std);
            }

            var wp = new Parameter($"W{l + 1}", w);
            var bp = new Parameter($"b{l + 1}", new double[fanOut]);
            parameters.Add(wp);
            parameters.Add(bp);
            _weights[l] = Matrix<double>.Build.Dense(fanOut, fanIn, wp.Value);
            _weightGradients[l] = Matrix<double>.Build.Dense(fanOut, fanIn, wp.Gradient);
        }

        _parameters = parameters.ToArray();
    }

    /// <summary>Layer sizes, inputs first.</summary>
    public IReadOnlyList<int> Sizes => _sizes;

    /// <summary>The hidden layers' nonlinearity.</summary>
    public Activation Activation { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The total number of scalar parameters.</summary>
    public int ParameterCount => _parameters.Sum(p => p.Length);

    /// <summary>Class probabilities, one row per sample.</summary>
    public Matrix<double> Probabilities(Matrix<double> x)
    {
        var (activations, _) = Forward(x);
        return Softmax(activations[^1]);
    }

    /// <summary>The most probable class of each sample.</summary>
    public int[] Predict(Matrix<double> x)
    {
        var logits = Forward(x).Activations[^1];
        return Enumerable.Range(0, logits.RowCount).Select(i => logits.Row(i).MaximumIndex()).ToArray();
    }

    /// <inheritdoc />
    public double Loss(Dataset data)
    {
        CheckShape(data);
        var p = Softmax(Forward(data.Features).Activations[^1]);
        return CrossEntropy(p, data.Labels);
    }

    /// <inheritdoc />
    public double Accuracy(Dataset data)
    {
        CheckShape(data);
        var predicted = Predict(data.Features);
        return predicted.Zip(data.Labels).Count(t => t.First == t.Second) / (double)data.Count;
    }

    /// <inheritdoc />
    public double LossAndGradient(Dataset data)
    {
        CheckShape(data);
        var (a, z) = Forward(data.Features);
        var p = Softmax(a[^1]);
        var loss = CrossEntropy(p, data.Labels);
        var n = data.Count;
        // ∂L/∂Z_L = (p − onehot(y))/n
        var delta = p;
        for (var i = 0; i < n; i++)
        {
            delta[i, data.Labels[i]] -= 1;
        }

        delta.Divide(n, delta);
        for (var l = _weights.Length - 1; l >= 0; l--)
        {
            // ∂L/∂W_l = δᵀ·A_{l−1};  ∂L/∂b_l = Σ_rows δ
            delta.TransposeThisAndMultiply(a[l], _weightGradients[l]);
            var gb = _parameters[2 * l + 1].Gradient;
            for (var j = 0; j < gb.Length; j++)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += delta[i, j];
                }

                gb[j] = s;
            }

            if (l > 0)
            {
                // δ_{l−1} = (δ·W_l) ⊙ act'(Z_{l−1})
                var next = delta * _weights[l];
                var zPrev = z[l - 1];
                next.MapIndexedInplace((i, j, v) => v * Derivative(zPrev[i, j]));
                delta = next;
            }
        }

        return loss;
    }

    private (Matrix<double>[] Activations, Matrix<double>[] PreActivations) Forward(Matrix<double> x)
    {
        var layers = _weights.Length;
        var a = new Matrix<double>[layers + 1];
        var z = new Matrix<double>[layers];
        a[0] = x;
        for (var l = 0; l < layers; l++)
        {
            var zl = a[l].TransposeAndMultiply(_weights[l]);
            var b = _parameters[2 * l + 1].Value;
            for (var j = 0; j < b.Length; j++)
            {
                for (var i = 0; i < zl.RowCount; i++)
                {
                    zl[i, j] += b[j];
                }
            }

            z[l] = zl;
            a[l + 1] = l < layers - 1 ? zl.Map(Activate) : zl;
        }

        return (a, z);
    }

    private double Activate(double v) => Activation == Activation.Relu ? Math.Max(0, v) : Math.Tanh(v);

    private double Derivative(double zValue)
    {
        if (Activation == Activation.Relu)
        {
            return zValue > 0 ? 1 : 0;
        }

        var t = Math.Tanh(zValue);
        return 1 - t * t;
    }

    private static Matrix<double> Softmax(Matrix<double> logits)
    {
        var p = logits.Clone();
        for (var i = 0; i < p.RowCount; i++)
        {
            var max = double.NegativeInfinity;
            for (var j = 0; j < p.ColumnCount; j++)
            {
                max = Math.Max(max, p[i, j]);
            }

            var sum = 0.0;
            for (var j = 0; j < p.ColumnCount; j++)
            {
                p[i, j] = Math.Exp(p[i, j] - max);
                sum += p[i, j];
            }

            for (var j = 0; j < p.ColumnCount; j++)
            {
                p[i, j] /= sum;
            }
        }

        return p;
    }

    private static double CrossEntropy(Matrix<double> p, int[] labels)
    {
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            sum -= Math.Log(Math.Max(p[i, labels[i]], 1e-300));
        }

        return sum / labels.Length;
    }

    private void CheckShape(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _sizes[0])
        {
            throw new ArgumentException($"the model takes {_sizes[0]} features, but the data has {data.FeatureCount}.", nameof(data));
        }

        if (data.Labels.Length != data.Count)
        {
            throw new ArgumentException("a classifier needs class labels.", nameof(data));
        }

        if (data.Labels.Any(l => l < 0 || l >= _sizes[^1]))
        {
            throw new ArgumentException($"labels must be in 0…{_sizes[^1] - 1} for {_sizes[^1]} classes.", nameof(data));
        }
    }
}
