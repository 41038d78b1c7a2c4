using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Checkpointing;

/// <summary>
/// The state of the generator LoRA dropout draws from (its seeded one, else torch's CPU generator) at a checkpointed
/// forward, replayed during the recompute so dropout draws the same masks (torch.utils.checkpoint's
/// preserve_rng_state); afterwards the generator continues where it was.
/// </summary>
sealed class RandomState(Generator? generator, byte[] state)
{
    /// <summary>The state when the layer draws random numbers (LoRA dropout in training mode), else null.</summary>
    public static RandomState? CaptureIfNeeded(DecoderLayer layer, Device device)
    {
        var dropout = layer.training
            ? layer.modules().OfType<Linear>().Select(l => l.Lora).FirstOrDefault(l => l is { Options.Dropout: > 0 })
            : null;
        if (dropout is null) return null;
        if (device.type != TorchSharp.DeviceType.CPU)
            throw new InvalidInputException(
                "--gradient-checkpointing with --lora-dropout > 0 needs the RNG state of the device, which TorchSharp exposes only for the CPU; use --lora-dropout 0");
        var generator = dropout.DropoutGenerator;
        using var current = Get(generator);
        return new RandomState(generator, current.data<byte>().ToArray());
    }

    public IDisposable Replay()
    {
        var resume = Get(generator).DetachFromDisposeScope();
        using (var forward = tensor(state)) Set(generator, forward);
        return new Restore(generator, resume);
    }

    static Tensor Get(Generator? generator) => generator?.get_state() ?? get_rng_state();

    static void Set(Generator? generator, Tensor state)
    {
        if (generator is null) set_rng_state(state);
        else generator.set_state(state);
    }

    sealed class Restore(Generator? generator, Tensor resume) : IDisposable
    {
        public void Dispose()
        {
            Set(generator, resume);
            resume.Dispose();
        }
    }
}
