namespace Descent.Plots;

/// <summary>One colour per optimizer across the whole course, and the exam's colours for the four learning rates.</summary>
public static class Palette
{
    /// <summary>SGD: red.</summary>
    public const string Sgd = "#d62728";
    /// <summary>Momentum: green.</summary>
    public const string Momentum = "#2ca02c";
    /// <summary>Nesterov: dark green.</summary>
    public const string Nesterov = "#17693a";
    /// <summary>AdaGrad: purple.</summary>
    public const string AdaGrad = "#9467bd";
    /// <summary>RMSProp: orange.</summary>
    public const string RmsProp = "#ff7f0e";
    /// <summary>Adam: blue.</summary>
    public const string Adam = "#1f77b4";
    /// <summary>AdamW: cyan.</summary>
    public const string AdamW = "#17becf";
    /// <summary>NAdam: brown.</summary>
    public const string NAdam = "#8c564b";
    /// <summary>RAdam: pink.</summary>
    public const string RAdam = "#e377c2";
    /// <summary>Adamax: olive.</summary>
    public const string Adamax = "#bcbd22";

    /// <summary>The colour of an optimizer by name (case-insensitive; "SGD", "Momentum", "Adam", …), grey if unknown.</summary>
    public static string For(string optimizer) => optimizer.Trim().ToLowerInvariant() switch
    {
        "sgd" or "gd" => Sgd,
        "momentum" or "sgd+momentum" or "heavy ball" => Momentum,
        "nesterov" => Nesterov,
        "adagrad" => AdaGrad,
        "rmsprop" => RmsProp,
        "adam" => Adam,
        "adamw" => AdamW,
        "nadam" => NAdam,
        "radam" => RAdam,
        "adamax" => Adamax,
        _ => "#7f7f7f",
    };

    /// <summary>The exam's colours: η = 0.5 red, 0.1 orange, 0.01 green, 0.001 blue (dashed).</summary>
    public static (string Color, string Dash) ForExamLearningRate(double learningRate) => learningRate switch
    {
        0.5 => ("#d62728", "solid"),
        0.1 => ("#ff7f0e", "solid"),
        0.01 => ("#2ca02c", "solid"),
        0.001 => ("#1f77b4", "dash"),
        _ => throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"the exam uses η = 0.5, 0.1, 0.01, 0.001, not {learningRate}."),
    };

    /// <summary>A fixed sequence for series without a meaning of their own.</summary>
    public static readonly IReadOnlyList<string> Sequence =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
}
