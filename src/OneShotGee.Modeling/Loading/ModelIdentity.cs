using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Loading;

/// <summary>
/// A cheap, stable id for a checkpoint directory: SHA-256 over config.json's bytes and, for every *.safetensors file
/// in name order, its name, size, JSON header (tensor names, dtypes, shapes, offsets) and 64 blocks of 4 KiB spread
/// evenly over its tensor data (all of it when smaller). Headers alone cannot tell a fine-tuned model from its base
/// (same layout), sampled weights do; reading ~256 KiB per file keeps it fast for multi-GB checkpoints.
/// </summary>
public static class ModelIdentity
{
    const int Blocks = 64;
    const int BlockBytes = 4096;

    /// <summary>A full model's <see cref="Compute"/>; for an adapter, SHA-256 over its base's id, adapter_config.json
    /// and its safetensors sampled as above.</summary>
    public static string Of(ModelSource source)
    {
        var baseId = Compute(source.BaseDirectory);
        if (source.AdapterDirectory is not { } adapter) return baseId;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(baseId));
        sha.AppendData(File.ReadAllBytes(Path.Combine(adapter, "adapter_config.json")));
        foreach (var file in Directory.GetFiles(adapter, "*.safetensors").Order(StringComparer.Ordinal))
            AppendWeights(sha, file);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static string Compute(string modelDirectory)
    {
        var config = Path.Combine(modelDirectory, "config.json");
        if (!File.Exists(config)) throw new InvalidInputException($"model directory '{modelDirectory}' has no config.json");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(File.ReadAllBytes(config));
        foreach (var file in Directory.GetFiles(modelDirectory, "*.safetensors").Order(StringComparer.Ordinal))
            AppendWeights(sha, file);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// SHA-256 of the tokenizer's vocabulary file (tokenizer.json, else tokenizer.model): models with different ids
    /// split text into different tokens, so per-token metrics (entropy, perplexity) do not compare between them.
    /// </summary>
    public static string Tokenizer(string modelDirectory)
    {
        var file = new[] { "tokenizer.json", "tokenizer.model" }.Select(f => Path.Combine(modelDirectory, f)).FirstOrDefault(File.Exists)
            ?? throw new InvalidInputException($"model directory '{modelDirectory}' has neither tokenizer.json nor tokenizer.model");
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static void AppendWeights(IncrementalHash sha, string file)
    {
        using var stream = File.OpenRead(file);
        sha.AppendData(Encoding.UTF8.GetBytes($"\n{Path.GetFileName(file)}\n{stream.Length}\n"));
        Span<byte> prefix = stackalloc byte[8];
        if (stream.Length < 8) throw new InvalidInputException($"'{file}' is not a safetensors file: it has {stream.Length} bytes");
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)stream.Length - 8)
            throw new InvalidInputException($"'{file}' is not a safetensors file: header length {headerLength} exceeds the file");
        var dataStart = 8 + (long)headerLength;
        var dataLength = stream.Length - dataStart;
        var block = new byte[BlockBytes];
        if (dataLength <= (long)Blocks * BlockBytes)
        {
            stream.Position = 8;
            var all = new byte[stream.Length - 8];
            stream.ReadExactly(all);
            sha.AppendData(all);
            return;
        }
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        sha.AppendData(header);
        for (var b = 0; b < Blocks; b++)
        {
            stream.Position = dataStart + (dataLength - BlockBytes) * b / (Blocks - 1);
            stream.ReadExactly(block);
            sha.AppendData(block);
        }
    }
}
