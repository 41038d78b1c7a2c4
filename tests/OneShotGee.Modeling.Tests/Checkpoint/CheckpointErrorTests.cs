using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Safetensors;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Checkpoint;

public sealed class CheckpointErrorTests
{
    /// <summary>Saves a tiny model, then rewrites its weights file with <paramref name="edit"/> applied to the tensor list.</summary>
    static string BrokenCheckpoint(TempDirectory dir, Func<List<(string Name, Tensor Tensor)>, List<(string, Tensor)>> edit)
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(), seed: 1);
        lm.SavePretrained(dir.File("ckpt"));
        var weights = Path.Combine(dir.File("ckpt"), SafetensorsCheckpoint.SingleFileName);
        File.Delete(weights);
        SafetensorsWriter.Write(weights, edit([.. lm.named_parameters().Select(p => (p.name, (Tensor)p.parameter))]), ScalarType.Float32);
        return dir.File("ckpt");
    }

    [Fact]
    public void Missing_tensor_is_named()
    {
        using var dir = new TempDirectory();
        var path = BrokenCheckpoint(dir, t => [.. t.Where(x => x.Name != "model.layers.1.mlp.up_proj.weight")]);
        var e = Assert.Throws<InvalidInputException>(() => CausalLM.FromPretrained(path));
        Assert.Contains("missing tensor \"model.layers.1.mlp.up_proj.weight\"", e.Message);
    }

    [Fact]
    public void Unexpected_tensor_is_named()
    {
        using var dir = new TempDirectory();
        var path = BrokenCheckpoint(dir, t => [.. t, ("model.layers.0.self_attn.o_proj.bias", zeros(16))]);
        var e = Assert.Throws<InvalidInputException>(() => CausalLM.FromPretrained(path));
        Assert.Contains("unexpected tensor \"model.layers.0.self_attn.o_proj.bias\"", e.Message);
    }

    [Fact]
    public void Misshaped_tensor_is_named_with_both_shapes()
    {
        using var dir = new TempDirectory();
        var path = BrokenCheckpoint(dir, t => [.. t.Select(x => x.Name == "model.norm.weight" ? (x.Name, zeros(17)) : x)]);
        var e = Assert.Throws<InvalidInputException>(() => CausalLM.FromPretrained(path));
        Assert.Contains("\"model.norm.weight\" has shape [17], expected [16]", e.Message);
    }

    [Fact]
    public void Truncated_file_and_missing_weights_are_reported()
    {
        using var dir = new TempDirectory();
        var path = BrokenCheckpoint(dir, t => t.Select(x => (x.Name, x.Tensor)).ToList());
        var weights = Path.Combine(path, SafetensorsCheckpoint.SingleFileName);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^100]);
        Assert.Contains("extends past the end", Assert.Throws<InvalidInputException>(() => CausalLM.FromPretrained(path)).Message);
        File.Delete(weights);
        Assert.Contains("model.safetensors", Assert.Throws<InvalidInputException>(() => CausalLM.FromPretrained(path)).Message);
    }
}
