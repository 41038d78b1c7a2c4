using OneShotGee.Pipeline.Config;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>run.json content received over HTTP or pub/sub, parsed with the same JSON settings as <see cref="RunConfig.Load"/>.</summary>
public static class RunConfigJson
{
    public static RunConfig Parse(ReadOnlySpan<byte> json, string source) => RunConfig.Parse(json, source);

    public static RunConfig Parse(string json, string source) => RunConfig.Parse(json, source);
}
