namespace OneShotGee.Orchestrator;

/// <summary>The <c>Runs</c> configuration section: where run records are kept.</summary>
public sealed record RunsOptions
{
    public const string Section = "Runs", LocalStore = "local", DaprStore = "dapr";

    /// <summary>Local run records live below it (steps run on the worker apps, in their own work roots).</summary>
    public string Root { get; init; } = "runs";

    /// <summary><c>local</c>: JSON records under <c>Root/records</c>; <c>dapr</c>: the Dapr state store <see cref="StateStore"/>.</summary>
    public string Store { get; init; } = LocalStore;

    public string StateStore { get; init; } = "statestore";

    public string RecordsDirectory => Path.Combine(Root, "records");
}
