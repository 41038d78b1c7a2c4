namespace OneShotGee.Orchestrator;

/// <summary>The <c>Runs</c> configuration section: where runs are executed and where their records are kept.</summary>
public sealed record RunsOptions
{
    public const string Section = "Runs", LocalStore = "local", DaprStore = "dapr";

    /// <summary>Run directories live at <c>Root/&lt;run id&gt;</c>, the same layout as <c>oneshotgee run</c>'s output.</summary>
    public string Root { get; init; } = "runs";

    /// <summary>Where the demo model is built and cached; null: the library's default cache.</summary>
    public string? DemoCache { get; init; }

    /// <summary><c>local</c>: JSON records under <c>Root/records</c>; <c>dapr</c>: the Dapr state store <see cref="StateStore"/>.</summary>
    public string Store { get; init; } = LocalStore;

    public string StateStore { get; init; } = "statestore";

    /// <summary>How long a request waits for the Dapr sidecar before it answers 503.</summary>
    public TimeSpan SidecarTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public string RecordsDirectory => Path.Combine(Root, "records");

    public string RunDirectory(string runId) => Path.Combine(Root, runId);
}
