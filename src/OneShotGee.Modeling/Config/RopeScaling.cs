namespace OneShotGee.Modeling.Config;

/// <summary>
/// config.json <c>rope_scaling</c>: <c>linear</c> (position interpolation) or <c>llama3</c> (frequency-dependent
/// scaling, Llama 3.1). Fields not used by <see cref="Type"/> keep their HF defaults.
/// </summary>
public sealed record RopeScaling(
    string Type,
    double Factor,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositionEmbeddings = 8192);
