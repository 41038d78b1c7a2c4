using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Safetensors;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Checkpoint;

/// <summary>Copies safetensors weights into a model's parameters, converting to its dtype and device one tensor at a time.</summary>
public static class CheckpointLoader
{
    public static void LoadWeights(CausalLM lm, string directory)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        var parameters = lm.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in checkpoint.Entries.Keys)
            if (!parameters.ContainsKey(name) && !IsIgnored(name, lm))
                throw new InvalidInputException($"{directory}: unexpected tensor \"{name}\" for {lm.Config.Architecture}");

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            if (!checkpoint.Entries.TryGetValue(name, out var entry))
                throw new InvalidInputException($"{directory}: missing tensor \"{name}\"");
            if (!entry.Shape.SequenceEqual(parameter.shape))
                throw new InvalidInputException(
                    $"{directory}: tensor \"{name}\" has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", parameter.shape)}]");
            using var scope = NewDisposeScope();
            parameter.copy_(checkpoint.Read(name).to(parameter.dtype, parameter.device));
        }
    }

    // HF ignores these too: RoPE tables saved by old conversions, and a stored copy of a tied head.
    static bool IsIgnored(string name, CausalLM lm) =>
        name.EndsWith(".rotary_emb.inv_freq") || (name == "lm_head.weight" && lm.Config.TieWordEmbeddings);
}
