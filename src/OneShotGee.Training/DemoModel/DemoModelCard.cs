using System.Text.Json;
using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Training.DemoModel;

/// <summary>What a built demo model is: its recipe, the gap planted in its corpus and the gap measured on the model.</summary>
public sealed record DemoModelCard(
    string RecipeHash,
    DemoRecipe Recipe,
    int CorpusVersion,
    int VocabSize,
    long Parameters,
    double FinalLoss,
    GroupEntropies PlantedEntropy,
    GroupEntropies MeasuredEntropy,
    double BuildSeconds)
{
    public const string FileName = "demo_model.json";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Write(string modelDirectory) => File.WriteAllText(Path.Combine(modelDirectory, FileName), ToJson());

    public static DemoModelCard Read(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path)) throw new InvalidInputException($"{path} not found: '{modelDirectory}' is not a built demo model");
        try { return JsonSerializer.Deserialize<DemoModelCard>(File.ReadAllText(path), Json) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new InvalidInputException($"{path}: not a demo model card: {e.Message}", e); }
    }
}
