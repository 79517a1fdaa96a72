using System.Runtime.CompilerServices;
using Descent.Data;
using Descent.Optimizers;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;

namespace Descent.Models;

/// <summary>
/// A multilayer perceptron with softmax cross-entropy: Z_l = A_{l−1}·W_lᵀ + b_l, A_l = act(Z_l), p = softmax(Z_L),
/// L = −(1/n)·Σ log p_{y}. With no hidden layer it is softmax regression. Weights live in the parameter buffers
/// (column-major W_l of shape out×in), so optimizers update the model in place.
/// </summary>
/// <remarks>
/// The products are written out as loops over column-major arrays (<see cref="MlpKernels"/>) into work buffers the
/// model keeps between calls, so a training step allocates no matrices. Every entry of a product is the plain sum
/// Σₖ aₖ·bₖ taken in order k = 0, 1, …, as MathNet's managed provider computes it, so losses, gradients and training
/// runs are the same, bit for bit, as with MathNet matrix products. A model is not safe to use from two threads at once.
/// </remarks>
public class Mlp : IModel
{
    private readonly int[] _sizes;
    private readonly Parameter[] _parameters;
    // Work buffers by row count, most recently used first: a training run needs up to four (minibatch, a smaller last
    // minibatch, the training set and the validation set for the epoch's evaluation), so none is reallocated per epoch.
    private readonly List<Workspace> _work = [];

    /// <summary>Creates an MLP with layer sizes [inputs, hidden…, classes], He (ReLU) or Xavier (tanh, none) initialisation from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two sizes, or a size below 1.</exception>
    public Mlp(IReadOnlyList<int> sizes, Activation activation = Activation.Relu, int seed = 0, bool zeroInit = false)
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
        for (var l = 0; l < layers; l++)
        {
            var (fanIn, fanOut) = (_sizes[l], _sizes[l + 1]);
            var std = activation == Activation.Relu && l < layers - 1 ? Math.Sqrt(2.0 / fanIn) : Math.Sqrt(1.0 / fanIn);
            var w = new double[fanOut * fanIn];
            if (!zeroInit)
            {
                Normal.Samples(rng, w, 0, std);
            }

            parameters.Add(new Parameter($"W{l + 1}", w));
            parameters.Add(new Parameter($"b{l + 1}", new double[fanOut]));
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

    private int Layers => _sizes.Length - 1;

    /// <summary>Class probabilities, one row per sample.</summary>
    public Matrix<double> Probabilities(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var w = Forward(x);
        var p = new double[x.RowCount * _sizes[^1]];
        Softmax(w.A[Layers], p, x.RowCount, _sizes[^1]);
        return Matrix<double>.Build.Dense(x.RowCount, _sizes[^1], p);
    }

    /// <summary>The most probable class of each sample.</summary>
    public int[] Predict(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var n = x.RowCount;
        var logits = Forward(x).A[Layers];
        var classes = _sizes[^1];
        var predicted = new int[n];
        for (var i = 0; i < n; i++)
        {
            predicted[i] = ArgMax(logits, n, classes, i);
        }

        return predicted;
    }

    /// <summary>The first index of the largest logit of row <paramref name="i"/>, as MathNet's Vector.MaximumIndex.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax(double[] logits, int n, int classes, int i)
    {
        var best = 0;
        var max = logits[i];
        for (var j = 1; j < classes; j++)
        {
            if (max < logits[(j * n) + i])
            {
                best = j;
                max = logits[(j * n) + i];
            }
        }

        return best;
    }

    /// <inheritdoc />
    public double Loss(Dataset data)
    {
        CheckShape(data);
        var w = Forward(data.Features);
        Softmax(w.A[Layers], w.P, data.Count, _sizes[^1]);
        return CrossEntropy(w.P, data.Count, data.Labels);
    }

    /// <inheritdoc />
    public double Accuracy(Dataset data)
    {
        CheckShape(data);
        var predicted = Predict(data.Features);
        var correct = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == data.Labels[i] ? 1 : 0;
        }

        return correct / (double)data.Count;
    }

    /// <summary><see cref="Loss"/> and <see cref="Accuracy"/> from one forward pass (the trainer's per-epoch evaluation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal (double Loss, double Accuracy) LossAndAccuracy(Dataset data)
    {
        CheckShape(data);
        var n = data.Count;
        var classes = _sizes[^1];
        var w = Forward(data.Features);
        var logits = w.A[Layers];
        var correct = 0;
        for (var i = 0; i < n; i++)
        {
            correct += ArgMax(logits, n, classes, i) == data.Labels[i] ? 1 : 0;
        }

        Softmax(logits, w.P, n, classes);
        return (CrossEntropy(w.P, n, data.Labels), correct / (double)n);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double LossAndGradient(Dataset data)
    {
        CheckShape(data);
        var n = data.Count;
        var w = Forward(data.Features);
        var classes = _sizes[^1];
        Softmax(w.A[Layers], w.P, n, classes);
        var loss = CrossEntropy(w.P, n, data.Labels);

        // ∂L/∂Z_L = (p − onehot(y))/n
        var delta = w.Delta;
        Array.Copy(w.P, delta, n * classes);
        for (var i = 0; i < n; i++)
        {
            delta[(data.Labels[i] * n) + i] -= 1;
        }

        MlpKernels.Divide(delta.AsSpan(0, n * classes), n);
        for (var l = Layers - 1; l >= 0; l--)
        {
            var (fanIn, fanOut) = (_sizes[l], _sizes[l + 1]);

            // ∂L/∂W_l = δᵀ·A_{l−1};  ∂L/∂b_l = Σ_rows δ
            MlpKernels.Transpose(delta, n, fanOut, w.DeltaRows);
            MlpKernels.TransposeThisTimes(w.DeltaRows, w.A[l], n, fanOut, fanIn, _parameters[2 * l].Gradient);
            MlpKernels.ColumnSums(w.DeltaRows, n, fanOut, _parameters[(2 * l) + 1].Gradient);

            if (l > 0)
            {
                // δ_{l−1} = (δ·W_l) ⊙ act'(Z_{l−1})
                MlpKernels.Times(delta, _parameters[2 * l].Value, n, fanOut, fanIn, w.Next);
                var zPrev = w.Z[l - 1];
                if (Activation == Activation.Relu)
                {
                    MlpKernels.ReluDerivativeInPlace(w.Next.AsSpan(0, n * fanIn), zPrev);
                }
                else
                {
                    for (var k = 0; k < n * fanIn; k++)
                    {
                        var t = Math.Tanh(zPrev[k]);
                        w.Next[k] *= 1 - (t * t);
                    }
                }

                (delta, w.Next) = (w.Next, delta);
            }
        }

        // Leave the buffers as they were found (the swap above may have exchanged them).
        w.Delta = delta;
        return loss;
    }

    /// <summary>Z_l and A_l of every layer for the rows of <paramref name="x"/>, in the work buffers for that many rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Workspace Forward(Matrix<double> x)
    {
        var n = x.RowCount;
        if (x.ColumnCount != _sizes[0])
        {
            throw new ArgumentException($"the model takes {_sizes[0]} features, but the data has {x.ColumnCount}.", nameof(x));
        }

        var w = WorkspaceFor(n);
        w.A[0] = x.AsColumnMajorArray() ?? x.ToColumnMajorArray();
        for (var l = 0; l < Layers; l++)
        {
            var (fanIn, fanOut) = (_sizes[l], _sizes[l + 1]);
            var z = w.Z[l];
            MlpKernels.TimesTransposed(w.A[l], _parameters[2 * l].Value, n, fanIn, fanOut, z);
            MlpKernels.AddRowVector(z, n, _parameters[(2 * l) + 1].Value);
            if (l < Layers - 1)
            {
                var a = w.A[l + 1];
                for (var k = 0; k < n * fanOut; k++)
                {
                    a[k] = Activate(z[k]);
                }
            }
        }

        return w;
    }

    /// <summary>The work buffers for <paramref name="n"/> rows: the four most recently used sizes are kept.</summary>
    private Workspace WorkspaceFor(int n)
    {
        if (_work.Count > 0 && _work[0].Rows == n)
        {
            return _work[0];
        }

        var at = -1;
        for (var k = 1; k < _work.Count && at < 0; k++)
        {
            at = _work[k].Rows == n ? k : -1;
        }

        var found = at >= 0 ? _work[at] : new Workspace(n, _sizes);
        if (at >= 0)
        {
            _work.RemoveAt(at);
        }
        else if (_work.Count == 4)
        {
            _work.RemoveAt(3);
        }

        _work.Insert(0, found);
        return found;
    }

    private double Activate(double v) => Activation == Activation.Relu ? Math.Max(0, v) : Math.Tanh(v);

    /// <summary>Row-wise softmax of column-major logits (n × k) into <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax(double[] logits, double[] p, int n, int k)
    {
        for (var i = 0; i < n; i++)
        {
            var max = double.NegativeInfinity;
            for (var j = 0; j < k; j++)
            {
                max = Math.Max(max, logits[(j * n) + i]);
            }

            var sum = 0.0;
            for (var j = 0; j < k; j++)
            {
                var e = Math.Exp(logits[(j * n) + i] - max);
                p[(j * n) + i] = e;
                sum += e;
            }

            for (var j = 0; j < k; j++)
            {
                p[(j * n) + i] /= sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double CrossEntropy(double[] p, int n, int[] labels)
    {
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum -= Math.Log(Math.Max(p[(labels[i] * n) + i], 1e-300));
        }

        return sum / n;
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

        foreach (var label in data.Labels)
        {
            if (label < 0 || label >= _sizes[^1])
            {
                throw new ArgumentException($"labels must be in 0…{_sizes[^1] - 1} for {_sizes[^1]} classes.", nameof(data));
            }
        }
    }

    /// <summary>Column-major buffers for n rows: Z_l, A_l (A_0 is the input's own array), p, δ and its transpose.</summary>
    private sealed class Workspace
    {
        public Workspace(int n, int[] sizes)
        {
            Rows = n;
            var layers = sizes.Length - 1;
            Z = new double[layers][];
            A = new double[layers + 1][];
            A[0] = [];
            var widest = sizes.Max();
            for (var l = 0; l < layers; l++)
            {
                Z[l] = new double[n * sizes[l + 1]];
                A[l + 1] = l < layers - 1 ? new double[n * sizes[l + 1]] : Z[l];
            }

            P = new double[n * sizes[^1]];
            Delta = new double[n * widest];
            Next = new double[n * widest];
            DeltaRows = new double[n * widest];
        }

        public int Rows { get; }

        public double[][] Z { get; }

        public double[][] A { get; }

        public double[] P { get; }

        public double[] Delta { get; set; }

        public double[] Next { get; set; }

        public double[] DeltaRows { get; }
    }
}

/// <summary>Softmax (multinomial logistic) regression: an <see cref="Mlp"/> with no hidden layer.</summary>
public sealed class SoftmaxRegression(int inputs, int classes, int seed = 0, bool zeroInit = true)
    : Mlp([inputs, classes], Activation.Relu, seed, zeroInit);
