namespace Descent.Schedules;

/// <summary>
/// The one place that holds the schedules' default arguments, as <see cref="Optimizers.Defaults"/> does for the
/// optimizers; they equal torch.optim.lr_scheduler's (1.13) where torch has the schedule. <see cref="LrSchedules"/> and
/// <see cref="ReduceOnPlateau"/> use these constants as their optional-argument defaults.
/// </summary>
public static class ScheduleDefaults
{
    /// <summary>torch StepLR and MultiStepLR.</summary>
    public static class Step
    {
        /// <summary>γ = 0.1: the rate falls tenfold at each boundary.</summary>
        public const double Gamma = 0.1;
    }

    /// <summary>torch LinearLR.</summary>
    public static class Linear
    {
        /// <summary>The first step's factor, 1/3.</summary>
        public const double StartFactor = 1.0 / 3;
        /// <summary>The factor from <see cref="TotalIters"/> on, 1.</summary>
        public const double EndFactor = 1.0;
        /// <summary>T = 5 steps.</summary>
        public const int TotalIters = 5;
    }

    /// <summary>The course's linear warmup (torch LinearLR ending at factor 1).</summary>
    public static class Warmup
    {
        /// <summary>The warmup starts at 1 % of the rate.</summary>
        public const double StartFactor = 0.01;
    }

    /// <summary>torch ConstantLR.</summary>
    public static class ConstantFactor
    {
        /// <summary>The factor before <see cref="TotalIters"/>, 1/3.</summary>
        public const double Factor = 1.0 / 3;
        /// <summary>T = 5 steps.</summary>
        public const int TotalIters = 5;
    }

    /// <summary>torch PolynomialLR.</summary>
    public static class Polynomial
    {
        /// <summary>T = 5 steps.</summary>
        public const int TotalIters = 5;
        /// <summary>Power 1: a straight line to 0.</summary>
        public const double Power = 1.0;
    }

    /// <summary>torch CosineAnnealingLR and CosineAnnealingWarmRestarts.</summary>
    public static class Cosine
    {
        /// <summary>η_min = 0.</summary>
        public const double EtaMin = 0.0;
        /// <summary>T_mult = 1: every cycle as long as the first.</summary>
        public const int TMult = 1;
    }

    /// <summary>torch OneCycleLR.</summary>
    public static class OneCycle
    {
        /// <summary>The rising phase takes 30 % of the steps.</summary>
        public const double PctStart = 0.3;
        /// <summary>The rate starts at max/25.</summary>
        public const double DivFactor = 25.0;
        /// <summary>The rate ends at max/(25·10⁴).</summary>
        public const double FinalDivFactor = 1e4;
        /// <summary>Momentum at the peak rate, 0.85.</summary>
        public const double BaseMomentum = 0.85;
        /// <summary>Momentum at the lowest rate, 0.95.</summary>
        public const double MaxMomentum = 0.95;
    }

    /// <summary>torch CyclicLR.</summary>
    public static class Cyclic
    {
        /// <summary>2000 steps up.</summary>
        public const int StepSizeUp = 2000;
        /// <summary>γ = 1 (used by <see cref="CyclicMode.ExpRange"/>).</summary>
        public const double Gamma = 1.0;
        /// <summary>Momentum at the peak rate, 0.8.</summary>
        public const double BaseMomentum = 0.8;
        /// <summary>Momentum at the base rate, 0.9.</summary>
        public const double MaxMomentum = 0.9;
    }

    /// <summary>torch ReduceLROnPlateau.</summary>
    public static class ReduceOnPlateau
    {
        /// <summary>Cut the rate tenfold.</summary>
        public const double Factor = 0.1;
        /// <summary>Tolerate 10 reports without improvement.</summary>
        public const int Patience = 10;
        /// <summary>An improvement must beat the best by 10⁻⁴ (relative by default).</summary>
        public const double Threshold = 1e-4;
        /// <summary>No cooldown after a cut.</summary>
        public const int Cooldown = 0;
        /// <summary>No floor on the rate.</summary>
        public const double MinLearningRate = 0.0;
        /// <summary>Cuts smaller than 10⁻⁸ are skipped.</summary>
        public const double Eps = 1e-8;
    }
}
