using OneShotGee.Core;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Modeling.Loading;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Reports;

public sealed class ModelIdentityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("modelid-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string CopyOfStories()
    {
        var copy = Directory.CreateDirectory(Path.Combine(_dir, "copy")).FullName;
        foreach (var file in Directory.GetFiles(Fixtures.PathOf("models/stories260k")))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    [Fact]
    public void Same_checkpoint_same_id_changed_weight_or_config_new_id()
    {
        var original = ModelIdentity.Compute(Fixtures.PathOf("models/stories260k"));
        Assert.Matches("^[0-9a-f]{64}$", original);
        var copy = CopyOfStories();
        Assert.Equal(original, ModelIdentity.Compute(copy));

        // Flip one byte in the middle of the tensor data (a block the sampler reads: the first of the 64).
        var weights = Path.Combine(copy, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        var dataStart = 8 + (int)BitConverter.ToUInt64(bytes, 0);
        bytes[dataStart + 100] ^= 0x01;
        File.WriteAllBytes(weights, bytes);
        var changed = ModelIdentity.Compute(copy);
        Assert.NotEqual(original, changed);

        File.AppendAllText(Path.Combine(copy, "config.json"), " ");
        Assert.NotEqual(changed, ModelIdentity.Compute(copy));
    }

    [Fact]
    public void Not_a_model_directory()
    {
        Assert.Contains("config.json", Assert.Throws<InvalidInputException>(() => ModelIdentity.Compute(_dir)).Message);
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{}");
        File.WriteAllBytes(Path.Combine(_dir, "model.safetensors"), [255, 255, 0, 0, 0, 0, 0, 0, 1]);
        Assert.Contains("header length", Assert.Throws<InvalidInputException>(() => ModelIdentity.Compute(_dir)).Message);
    }
}
