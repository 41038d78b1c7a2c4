using System.Text;
using System.Text.Json;
using OneShotGee.Core;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Safetensors;

/// <summary>One tensor's header entry: dtype, shape and byte range relative to the start of the data section.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End);

/// <summary>
/// A reader for one .safetensors file: an 8-byte little-endian header length, a JSON header, then the raw data.
/// Tensors are streamed from disk one at a time, so a checkpoint never sits whole in managed memory.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    readonly FileStream stream;
    readonly long dataStart;

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    SafetensorsFile(string path, FileStream stream, long dataStart,
        Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path; this.stream = stream; this.dataStart = dataStart; Entries = entries; Metadata = metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"safetensors file not found: {path}");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        try
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            if (stream.Read(lengthBytes) != 8) throw new InvalidInputException($"{path}: too short for a safetensors header");
            var headerLength = BitConverter.ToInt64(lengthBytes);
            if (headerLength <= 0 || 8 + headerLength > stream.Length)
                throw new InvalidInputException($"{path}: header length {headerLength} does not fit the file");
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            var (entries, metadata) = ParseHeader(header, path);
            var dataStart = 8 + headerLength;
            foreach (var e in entries.Values)
                if (dataStart + e.End > stream.Length)
                    throw new InvalidInputException($"{path}: tensor \"{e.Name}\" extends past the end of the file");
            return new SafetensorsFile(path, stream, dataStart, entries, metadata);
        }
        catch { stream.Dispose(); throw; }
    }

    /// <summary>Reads a tensor into a new CPU tensor of its stored dtype.</summary>
    public Tensor Read(string name)
    {
        var e = Entries.TryGetValue(name, out var entry) ? entry
            : throw new InvalidInputException($"{Path}: tensor \"{name}\" not found");
        var tensor = empty(e.Shape, SafetensorsDtype.ToScalarType(e.Dtype, name));
        stream.Position = dataStart + e.Begin;
        TensorBytes.Read(stream, tensor);
        return tensor;
    }

    public void Dispose() => stream.Dispose();

    static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(byte[] header, string path)
    {
        var entries = new Dictionary<string, SafetensorsEntry>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' ', '\0'));
            foreach (var item in doc.RootElement.EnumerateObject())
            {
                if (item.Name == "__metadata__")
                {
                    foreach (var m in item.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var dtype = item.Value.GetProperty("dtype").GetString() ?? "";
                var shape = item.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = item.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var entry = new SafetensorsEntry(item.Name, dtype, shape, offsets[0], offsets[1]);
                var elementSize = SafetensorsDtype.ElementSize(SafetensorsDtype.ToScalarType(dtype, item.Name));
                if (offsets.Length != 2 || entry.End - entry.Begin != shape.Aggregate(1L, (a, b) => a * b) * elementSize)
                    throw new InvalidInputException($"{path}: tensor \"{item.Name}\" data_offsets do not match its shape and dtype");
                entries[item.Name] = entry;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new InvalidInputException($"{path}: malformed safetensors header: {e.Message}", e);
        }
        return (entries, metadata);
    }
}
