using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace OneShotGee.Deploy.Tests;

/// <summary>YAML documents as plain maps, lists and strings, with path lookups that name what is missing.</summary>
static class Yaml
{
    static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<object, object>> LoadAll(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (!parser.Accept<StreamEnd>(out _))
            if (Deserializer.Deserialize(parser) is Dictionary<object, object> document) documents.Add(document);
        return documents;
    }

    public static List<Dictionary<object, object>> LoadFile(string path) => LoadAll(File.ReadAllText(path));

    /// <summary>The node at the dotted <paramref name="path"/> (map keys), or null when a step is missing.</summary>
    public static object? At(this object? node, string path)
    {
        foreach (var key in path.Split('.'))
            node = node is Dictionary<object, object> map && map.TryGetValue(key, out var next) ? next : null;
        return node;
    }

    public static string? Text(this object? node, string path) => node.At(path) as string;

    public static Dictionary<object, object> Map(this object? node, string path) =>
        node.At(path) as Dictionary<object, object> ?? throw new Xunit.Sdk.XunitException($"no map at '{path}'");

    public static List<object> List(this object? node, string path) => node.At(path) as List<object> ?? [];

    public static IEnumerable<string> Strings(this object? node, string path) => node.List(path).Cast<string>();
}
