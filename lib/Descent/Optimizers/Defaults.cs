namespace Descent.Optimizers;

/// <summary>
/// The one place that holds each optimizer's default hyper-parameters; they equal PyTorch 1.13's. Constructors use
/// these constants as their optional-argument defaults, so a default cannot drift between two places.
/// </summary>
public static class Defaults
{
    /// <summary>torch.optim.SGD (lr has no default in torch 1.13; it is required).</summary>
    public static class Sgd
    {
        /// <summary>μ = 0: plain SGD.</summary>
        public const double Momentum = 0.0;
        /// <summary>Dampening 0.</summary>
        public const double Dampening = 0.0;
        /// <summary>No weight decay.</summary>
        public const double WeightDecay = 0.0;
    }

    /// <summary>The course's EMA momentum v ← βv + (1−β)g.</summary>
    public static class EmaMomentum
    {
        /// <summary>β = 0.9: the average "remembers about 10 gradients".</summary>
        public const double Beta = 0.9;
    }

    /// <summary>torch.optim.Adagrad.</summary>
    public static class Adagrad
    {
        /// <summary>η = 1e-2.</summary>
        public const double LearningRate = 1e-2;
        /// <summary>No inverse-time decay.</summary>
        public const double LearningRateDecay = 0.0;
        /// <summary>The sum of squares starts at 0.</summary>
        public const double InitialAccumulatorValue = 0.0;
        /// <summary>ε = 1e-10, added outside the square root.</summary>
        public const double Epsilon = 1e-10;
        /// <summary>No weight decay.</summary>
        public const double WeightDecay = 0.0;
    }

    /// <summary>torch.optim.RMSprop.</summary>
    public static class RmsProp
    {
        /// <summary>η = 1e-2.</summary>
        public const double LearningRate = 1e-2;
        /// <summary>α = 0.99, the decay of the average of g².</summary>
        public const double Alpha = 0.99;
        /// <summary>ε = 1e-8, added outside the square root.</summary>
        public const double Epsilon = 1e-8;
        /// <summary>No momentum.</summary>
        public const double Momentum = 0.0;
        /// <summary>No weight decay.</summary>
        public const double WeightDecay = 0.0;
    }

    /// <summary>torch.optim.Adam.</summary>
    public static class Adam
    {
        /// <summary>η = 1e-3.</summary>
        public const double LearningRate = 1e-3;
        /// <summary>β₁ = 0.9.</summary>
        public const double Beta1 = 0.9;
        /// <summary>β₂ = 0.999.</summary>
        public const double Beta2 = 0.999;
        /// <summary>ε = 1e-8, added to √v̂.</summary>
        public const double Epsilon = 1e-8;
        /// <summary>No (L2) weight decay.</summary>
        public const double WeightDecay = 0.0;
    }

    /// <summary>torch.optim.AdamW: Adam's defaults except the decoupled weight decay.</summary>
    public static class AdamW
    {
        /// <summary>η = 1e-3.</summary>
        public const double LearningRate = Adam.LearningRate;
        /// <summary>β₁ = 0.9.</summary>
        public const double Beta1 = Adam.Beta1;
        /// <summary>β₂ = 0.999.</summary>
        public const double Beta2 = Adam.Beta2;
        /// <summary>ε = 1e-8.</summary>
        public const double Epsilon = Adam.Epsilon;
        /// <summary>wd = 1e-2 (Adam's is 0).</summary>
        public const double WeightDecay = 1e-2;
    }

    /// <summary>torch.optim.NAdam.</summary>
    public static class NAdam
    {
        /// <summary>η = 2e-3.</summary>
        public const double LearningRate = 2e-3;
        /// <summary>β₁ = 0.9.</summary>
        public const double Beta1 = 0.9;
        /// <summary>β₂ = 0.999.</summary>
        public const double Beta2 = 0.999;
        /// <summary>ε = 1e-8.</summary>
        public const double Epsilon = 1e-8;
        /// <summary>No weight decay.</summary>
        public const double WeightDecay = 0.0;
        /// <summary>ψ = 4e-3, the momentum decay of μ_t = β₁(1 − ½·0.96^(tψ)).</summary>
        public const double MomentumDecay = 4e-3;
    }

    /// <summary>torch.optim.RAdam.</summary>
    public static class RAdam
    {
        /// <summary>η = 1e-3.</summary>
        public const double LearningRate = 1e-3;
        /// <summary>β₁ = 0.9.</summary>
        public const double Beta1 = 0.9;
        /// <summary>β₂ = 0.999.</summary>
        public const double Beta2 = 0.999;
        /// <summary>ε = 1e-8.</summary>
        public const double Epsilon = 1e-8;
        /// <summary>No weight decay.</summary>
        public const double WeightDecay = 0.0;
    }

    /// <summary>torch.optim.Adamax.</summary>
    public static class Adamax
    {
        /// <summary>η = 2e-3.</summary>
        public const double LearningRate = 2e-3;
        /// <summary>β₁ = 0.9.</summary>
        public const double Beta1 = 0.9;
        /// <summary>β₂ = 0.999.</summary>
        public const double Beta2 = 0.999;
        /// <summary>ε = 1e-8, inside the max.</summary>
        public const double Epsilon = 1e-8;
        /// <summary>No weight decay.</summary>
        public const double WeightDecay = 0.0;
    }
}
