using OneShotGee.Core;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline.Config;

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

    /// <summary>How long a request waits for the Dapr sidecar before it answers 503.</summary>
    public TimeSpan SidecarTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Directories submitted runs may load models from; empty (the default): only the demo model.</summary>
    public string[] AllowedModelRoots { get; init; } = [];

    /// <summary>Directories submitted runs may read data files from; empty (the default): only synthetic data and built-in prompts.</summary>
    public string[] AllowedDataRoots { get; init; } = [];

    /// <summary>Relative paths are resolved from the working directory, as the run's steps resolve them.</summary>
    public AllowedRoots AllowedRoots() => new(AllowedModelRoots, AllowedDataRoots, Environment.CurrentDirectory);

    /// <summary>How often the runs in each status are counted for the <c>oneshotgee_runs_in_status</c> gauge.</summary>
    public TimeSpan CensusInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How the run workflow retries its steps (<c>Runs:StepRetries:Local</c>, <c>:CrossApp</c>, <c>:Training</c>).</summary>
    public StepRetries StepRetries { get; init; } = new();

    /// <summary>
    /// How many variants of one run train and evaluate at once: at most the trainer's replicas (one per GPU), since
    /// each trainer runs one step at a time and more wait. 1 (the default): one after the other.
    /// </summary>
    public int MaxParallelVariants { get; init; } = 1;

    public const int MaxParallelVariantsLimit = Sweeps.SweepRequest.MaxParallelLimit;

    public string RecordsDirectory => Path.Combine(Root, "records");

    public RunsOptions Validated()
    {
        if (Store is not (LocalStore or DaprStore))
            throw new InvalidInputException($"{Section}:Store is '{Store}'; use '{LocalStore}' or '{DaprStore}'");
        if (SidecarTimeout <= TimeSpan.Zero)
            throw new InvalidInputException($"{Section}:SidecarTimeout is {SidecarTimeout}; use a positive time span, e.g. 00:00:15");
        if (CensusInterval <= TimeSpan.Zero)
            throw new InvalidInputException($"{Section}:CensusInterval is {CensusInterval}; use a positive time span, e.g. 00:00:30");
        if (MaxParallelVariants is < 1 or > MaxParallelVariantsLimit)
            throw new InvalidInputException($"{Section}:MaxParallelVariants is {MaxParallelVariants}; use 1 to {MaxParallelVariantsLimit}");
        StepRetries.Validated($"{Section}:{StepRetries.Section}");
        return this;
    }
}
