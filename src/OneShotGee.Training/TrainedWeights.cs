using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;

namespace OneShotGee.Training;

/// <summary>Writes what training changed: the whole model in HF format, or with LoRA only the PEFT adapter.</summary>
public static class TrainedWeights
{
    public static void Save(CausalLM lm, string directory)
    {
        if (LoraAdapter.Branches(lm).Count > 0) LoraAdapter.Save(lm, directory);
        else lm.SavePretrained(directory);
    }
}
