using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Safetensors;

/// <summary>Writes named tensors as safetensors files, split into shards of at most a given size.</summary>
public static class SafetensorsWriter
{
    /// <summary>Writes one file; tensors are converted to <paramref name="dtype"/> one at a time.</summary>
    /// <param name="transform">Computes the stored value of a tensor (same shape) when it is written, inside that
    /// tensor's dispose scope, so a derived value (e.g. a merged weight) never exists for more than one tensor at once.</param>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, ScalarType dtype,
        Func<string, Tensor, Tensor>? transform = null)
    {
        var elementSize = SafetensorsDtype.ElementSize(dtype);
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var size = tensor.NumberOfElements * elementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = SafetensorsDtype.FromScalarType(dtype),
                ["shape"] = new JsonArray([.. tensor.shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        // The reference implementation pads the header with spaces so the data section starts 8-byte aligned.
        var padded = (headerBytes.Length + 7) / 8 * 8;

        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        stream.Write(BitConverter.GetBytes((long)padded));
        stream.Write(headerBytes);
        for (var i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (name, tensor) in tensors)
        {
            using var scope = NewDisposeScope();
            var value = transform is null ? tensor : transform(name, tensor);
            TensorBytes.Write(stream, value.detach().to(dtype, CPU).contiguous());
        }
    }

    /// <summary>
    /// Writes <c>model.safetensors</c>, or <c>model-0000i-of-0000n.safetensors</c> shards plus
    /// <c>model.safetensors.index.json</c> when the tensors exceed <paramref name="maxShardBytes"/>.
    /// </summary>
    public static void WriteSharded(string directory, IReadOnlyList<(string Name, Tensor Tensor)> tensors,
        ScalarType dtype, long maxShardBytes, Func<string, Tensor, Tensor>? transform = null)
    {
        var elementSize = SafetensorsDtype.ElementSize(dtype);
        var shards = new List<List<(string Name, Tensor Tensor)>> { new() };
        long shardBytes = 0, totalBytes = 0;
        foreach (var item in tensors)
        {
            var size = item.Tensor.NumberOfElements * elementSize;
            if (shards[^1].Count > 0 && shardBytes + size > maxShardBytes) { shards.Add([]); shardBytes = 0; }
            shards[^1].Add(item);
            shardBytes += size;
            totalBytes += size;
        }
        if (shards.Count == 1)
        {
            Write(System.IO.Path.Combine(directory, SafetensorsCheckpoint.SingleFileName), shards[0], dtype, transform);
            return;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            Write(System.IO.Path.Combine(directory, file), shards[i], dtype, transform);
            foreach (var (name, _) in shards[i]) weightMap[name] = file;
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = totalBytes }, ["weight_map"] = weightMap };
        File.WriteAllText(System.IO.Path.Combine(directory, SafetensorsCheckpoint.IndexFileName),
            index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
