using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Runtime;

namespace OneShotGee.Training;

/// <summary>
/// What a run starts from: --model, a full model or a PEFT adapter directory (<see cref="ModelSource"/>). From an
/// adapter, training starts from its base with the adapter merged in float32 (<see cref="ModelSource.LoadMerged"/>);
/// LoRA then trains a new adapter over those weights and full fine-tuning trains them all.
/// </summary>
public static class StartingModel
{
    public static ModelSource Source(TrainOptions options) => ModelSource.Resolve(options.ModelPath);

    /// <summary>The directory holding the run's config.json and tokenizer: the model, or an adapter's base.</summary>
    public static string BaseDirectory(TrainOptions options) => Source(options).BaseDirectory;

    /// <summary>The starting weights in the run's dtype ("auto": float32 on CPU, bfloat16 on CUDA) on its device.</summary>
    public static CausalLM Load(TrainOptions options)
    {
        var device = ComputeTarget.ParseDevice(options.Device);
        var dtype = ComputeTarget.ParseDtype(options.Dtype ?? "auto") ?? ComputeTarget.DefaultDtype(device);
        return Source(options).LoadMerged(dtype, device);
    }
}
