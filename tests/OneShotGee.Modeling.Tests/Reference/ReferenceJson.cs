using System.Text.Json;
using OneShotGee.Tests;

namespace OneShotGee.Modeling.Tests.Reference;

/// <summary>Reads the reference.json fixtures in tests/fixtures/models.</summary>
static class ReferenceJson
{
    public static JsonElement Load(string model) =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.PathOf($"models/{model}/reference.json"))).RootElement;

    public static int[] Ints(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetInt32())];
    public static double[] Doubles(this JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetDouble())];
}
