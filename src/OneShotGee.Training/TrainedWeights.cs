using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;

namespace OneShotGee.Training;

/// <summary>Writes what training changed: the whole model in HF format, or with LoRA only the PEFT adapter.</summary>
public static class TrainedWeights
{
    /// <param name="startingModel">The run's --model, recorded as an adapter's base_model_name_or_path: the weights it
    /// was trained over. From an adapter directory that is the adapter, which a loader refuses as a base (merge it).</param>
    public static void Save(CausalLM lm, string directory, string startingModel)
    {
        if (LoraAdapter.Branches(lm).Count > 0) LoraAdapter.Save(lm, directory, startingModel);
        else lm.SavePretrained(directory);
    }
}
