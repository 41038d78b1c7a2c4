using System.Globalization;
using System.Text;
using System.Text.Json;
using OneShotGee.Core.Gee;

namespace OneShotGee.Training;

/// <summary>
/// One optimizer step as reported: the GEE quantities plus the optimizer's and the clock's.
/// <see cref="StepSeconds"/> splits into sampling, the optimizer, and forward+backward (the rest).
/// <see cref="PeakMemoryBytes"/> is the process's peak resident set (host memory, libtorch's CPU tensors included).
/// </summary>
public sealed record TrainStepMetrics(
    GeeStepMetrics Gee,
    double GradNorm,
    double LearningRate,
    int GeneratedTokens,
    double SamplingSeconds,
    double OptimizerSeconds,
    double StepSeconds,
    long PeakMemoryBytes)
{
    public int Step => Gee.Step;
    public double TokensPerSecond => StepSeconds > 0 ? GeneratedTokens / StepSeconds : 0;

    /// <summary>One line of <c>metrics.jsonl</c>, snake_case; <c>kl</c> and <c>loss_kl</c> only with a KL anchor.</summary>
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", Step);
            json.WriteNumber("loss", Gee.Loss);
            json.WriteNumber("loss_em", Gee.LossEm);
            json.WriteNumber("loss_bias", Gee.LossBias);
            json.WriteNumber("h_bar", Gee.MeanEntropy);
            json.WriteStartObject("h_g");
            foreach (var (group, h) in Gee.GroupEntropies) json.WriteNumber(group, h);
            json.WriteEndObject();
            json.WriteNumber("entropy_gap", Gee.EntropyGap);
            json.WriteNumber("lambda", Gee.Lambda);
            if (Gee.Kl is { } kl)
            {
                json.WriteNumber("kl", kl);
                json.WriteNumber("loss_kl", Gee.LossKl);
            }
            json.WriteNumber("grad_norm", GradNorm);
            json.WriteNumber("lr", LearningRate);
            json.WriteNumber("generated_tokens", GeneratedTokens);
            json.WriteNumber("tokens_per_second", TokensPerSecond);
            json.WriteNumber("sampling_seconds", SamplingSeconds);
            json.WriteNumber("optimizer_seconds", OptimizerSeconds);
            json.WriteNumber("forward_backward_seconds", StepSeconds - SamplingSeconds - OptimizerSeconds);
            json.WriteNumber("step_seconds", StepSeconds);
            json.WriteNumber("peak_memory_bytes", PeakMemoryBytes);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>Step 3 | loss=… | gap=… | H[male]=… | H[female]=… | KL=… | λ=…</c> (KL with a KL anchor only).</summary>
    public override string ToString()
    {
        var line = new StringBuilder(FormattableString.Invariant($"Step {Step} | loss={Gee.Loss:F4} | gap={Gee.EntropyGap:F4}"));
        foreach (var (group, h) in Gee.GroupEntropies) line.Append(CultureInfo.InvariantCulture, $" | H[{group}]={h:F4}");
        if (Gee.Kl is { } kl) line.Append(CultureInfo.InvariantCulture, $" | KL={kl:F4}");
        line.Append(CultureInfo.InvariantCulture,
            $" | λ={Gee.Lambda:F3} | grad={GradNorm:F3} | {TokensPerSecond:F0} tok/s | {StepSeconds:F1}s");
        return line.ToString();
    }
}
