using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Checkpointing;

/// <summary>
/// The CPU generator state at a checkpointed forward, replayed during the recompute so LoRA dropout draws the same
/// masks (torch.utils.checkpoint's preserve_rng_state); afterwards the generator continues where it was.
/// </summary>
sealed class RandomState(byte[] state)
{
    /// <summary>The state when the layer draws random numbers (LoRA dropout in training mode), else null.</summary>
    public static RandomState? CaptureIfNeeded(DecoderLayer layer, Device device)
    {
        var random = layer.training && layer.modules().OfType<Linear>().Any(l => l.Lora is { Options.Dropout: > 0 });
        if (!random) return null;
        if (device.type != TorchSharp.DeviceType.CPU)
            throw new InvalidInputException(
                "--gradient-checkpointing with --lora-dropout > 0 needs the RNG state of the device, which TorchSharp exposes only for the CPU; use --lora-dropout 0");
        using var current = get_rng_state();
        return new RandomState(current.data<byte>().ToArray());
    }

    public IDisposable Replay()
    {
        var resume = get_rng_state().DetachFromDisposeScope();
        using (var forward = tensor(state)) set_rng_state(forward);
        return new Restore(resume);
    }

    sealed class Restore(Tensor resume) : IDisposable
    {
        public void Dispose()
        {
            set_rng_state(resume);
            resume.Dispose();
        }
    }
}
