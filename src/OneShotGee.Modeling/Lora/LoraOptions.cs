using OneShotGee.Core;

namespace OneShotGee.Modeling.Lora;

/// <summary>
/// LoRA hyperparameters (Hu et al. 2021): each targeted projection W gains a trainable update (alpha / r)·B·A
/// of rank r. Invalid values are rejected here, so an instance is always usable.
/// </summary>
public sealed class LoraOptions
{
    /// <summary>The decoder-layer projections LoRA can target (HF module names); all of them by default.</summary>
    public static readonly IReadOnlyList<string> AllTargets =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public int Rank { get; }
    public double Alpha { get; }
    /// <summary>Dropout on the adapter input, active only in training mode (PEFT's default is 0).</summary>
    public double Dropout { get; }
    public IReadOnlyList<string> Targets { get; }
    /// <summary>The factor on B·A: alpha / r (PEFT without rsLoRA).</summary>
    public double Scaling => Alpha / Rank;

    public LoraOptions(int rank, double alpha, double dropout = 0.0, IReadOnlyList<string>? targets = null)
    {
        if (rank < 1) throw new InvalidInputException($"--lora-rank must be at least 1, got {rank}");
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new InvalidInputException($"--lora-alpha must be positive and finite, got {alpha}");
        if (!(dropout >= 0 && dropout < 1)) throw new InvalidInputException($"--lora-dropout must be in [0, 1), got {dropout}");
        var names = (targets ?? AllTargets).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
        if (names.Count == 0) throw new InvalidInputException($"--lora-targets is empty; valid names: {string.Join(",", AllTargets)}");
        var unknown = names.Where(t => !AllTargets.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw new InvalidInputException(
                $"--lora-targets: unknown module {string.Join(", ", unknown.Select(u => $"\"{u}\""))}; valid names: {string.Join(",", AllTargets)}");
        (Rank, Alpha, Dropout, Targets) = (rank, alpha, dropout, names);
    }

    /// <summary>Parses a comma-separated <c>--lora-targets</c> value.</summary>
    public static IReadOnlyList<string> ParseTargets(string commaSeparated) => commaSeparated.Split(',');
}
