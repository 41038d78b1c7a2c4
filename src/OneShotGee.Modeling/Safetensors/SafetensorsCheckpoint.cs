using System.Text.Json;
using OneShotGee.Core;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Safetensors;

/// <summary>
/// The weights of a Hugging Face checkpoint directory: <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> (its <c>weight_map</c> names the shard holding each tensor).
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    readonly List<SafetensorsFile> files;
    readonly Dictionary<string, SafetensorsFile> owner = [];

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    SafetensorsCheckpoint(List<SafetensorsFile> files)
    {
        this.files = files;
        var entries = new Dictionary<string, SafetensorsEntry>();
        foreach (var file in files)
            foreach (var (name, entry) in file.Entries)
            {
                if (!entries.TryAdd(name, entry))
                    throw new InvalidInputException($"tensor \"{name}\" appears in more than one shard ({file.Path})");
                owner[name] = file;
            }
        Entries = entries;
    }

    public static SafetensorsCheckpoint Open(string directory)
    {
        var indexPath = System.IO.Path.Combine(directory, IndexFileName);
        var singlePath = System.IO.Path.Combine(directory, SingleFileName);
        var shardNames = File.Exists(indexPath) ? ReadShardNames(indexPath)
            : File.Exists(singlePath) ? [SingleFileName]
            : throw new InvalidInputException($"{directory}: neither {SingleFileName} nor {IndexFileName} found");
        var files = new List<SafetensorsFile>();
        try
        {
            foreach (var shard in shardNames) files.Add(SafetensorsFile.Open(System.IO.Path.Combine(directory, shard)));
            return new SafetensorsCheckpoint(files);
        }
        catch { files.ForEach(f => f.Dispose()); throw; }
    }

    /// <summary>Reads a tensor into a new CPU tensor of its stored dtype.</summary>
    public Tensor Read(string name) => owner.TryGetValue(name, out var file) ? file.Read(name)
        : throw new InvalidInputException($"tensor \"{name}\" not found in the checkpoint");

    public void Dispose() => files.ForEach(f => f.Dispose());

    static string[] ReadShardNames(string indexPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(indexPath));
            var names = doc.RootElement.GetProperty("weight_map").EnumerateObject()
                .Select(p => p.Value.GetString() ?? "").Distinct().Order(StringComparer.Ordinal).ToArray();
            foreach (var name in names)
                if (name.Length == 0 || name != System.IO.Path.GetFileName(name))
                    throw new InvalidInputException($"{indexPath}: weight_map names an invalid shard file \"{name}\"");
            return names;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidInputException($"{indexPath}: malformed index (expected a \"weight_map\" object): {e.Message}", e);
        }
    }
}
