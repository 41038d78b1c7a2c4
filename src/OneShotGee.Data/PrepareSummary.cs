using System.Text.Json;

namespace OneShotGee.Data;

/// <summary>
/// What <see cref="PrepareStep"/> did. <c>DetectedRowsPerGroup</c> counts input rows per group including <c>neutral</c>;
/// <c>AugmentedRows</c> counts rows made here (counterfactual twins, one-shot variants, synthetic prompts);
/// <c>DroppedRows</c> = input + augmented − balanced rows (neutral rows, other one-shot rows, downsampled rows);
/// <c>OutputRowsPerGroup</c> counts the written rows, after <c>Replicate</c>.
/// </summary>
public sealed record PrepareSummary(
    string? InputPath,
    int InputRows,
    IReadOnlyDictionary<string, int> DetectedRowsPerGroup,
    int AugmentedRows,
    int DroppedRows,
    int Replicate,
    IReadOnlyDictionary<string, long> OutputRowsPerGroup,
    long OutputRows,
    string LexiconId,
    string OutputPath,
    int Seed)
{
    static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
