using System.Globalization;
using OneShotGee.Core;
using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Lora;

namespace OneShotGee.Training;

/// <summary>
/// What <c>train --plan</c> prints: the run's memory plan, and beside it full fine-tuning and LoRA with otherwise the
/// same options, each against the budget (the device's available memory unless one is given).
/// </summary>
public static class MemoryPlanReport
{
    public static string Describe(TrainOptions options, double? budgetGb)
    {
        var configPath = Path.Combine(StartingModel.BaseDirectory(options), "config.json");
        if (!File.Exists(configPath)) throw new InvalidInputException($"--model '{options.ModelPath}' has no config.json");
        if (budgetGb is { } given && !(double.IsFinite(given) && given > 0))
            throw new InvalidInputException($"--memory-budget must be a positive number of GB, got {given}");
        var config = ModelConfig.Load(configPath);
        var bytes = MemoryPlan.BytesPerValue(options);
        var budget = budgetGb is { } gb ? (long)(gb * 1e9) : DeviceBudget.AvailableBytes(options.Device);
        var plan = MemoryPlan.Estimate(config, options, bytes);
        var full = MemoryPlan.Estimate(config, options with { Lora = null }, bytes);
        var lora = MemoryPlan.Estimate(config, options with { Lora = options.Lora ?? new LoraOptions(16, 32, 0, null) }, bytes);
        string Verdict(MemoryPlan p) => budget is { } b ? (p.Total <= b ? "fits" : "does not fit") : "no budget known";
        var budgetText = budget is { } known ? string.Create(CultureInfo.InvariantCulture, $"{known / 1e9:0.0} GB") : "unknown";
        return string.Join(Environment.NewLine,
            $"memory plan for {config.Architecture} in {(bytes == 2 ? "16-bit" : "float32")} weights, micro-batch {options.MicroBatch}, " +
            $"{MemoryPlan.AssumedPromptTokens} prompt + {options.MaxNewTokens} new tokens{(options.GradientCheckpointing ? ", gradient checkpointing" : "")}:",
            plan.Describe(),
            $"budget {budgetText}: full fine-tuning {Total(full)} {Verdict(full)}; LoRA rank {(options.Lora?.Rank ?? 16)} {Total(lora)} {Verdict(lora)}");
    }

    static string Total(MemoryPlan plan) => string.Create(CultureInfo.InvariantCulture, $"{plan.Total / 1e9:0.0} GB");
}
