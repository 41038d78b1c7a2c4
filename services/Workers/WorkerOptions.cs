using OneShotGee.Core;
using OneShotGee.Dapr;
using OneShotGee.Pipeline.Config;

namespace OneShotGee.Workers;

/// <summary>The <c>Worker</c> configuration section: where a worker host runs steps and where artifacts are exchanged.</summary>
public sealed record WorkerOptions
{
    public const string Section = "Worker", LocalStore = "local", DaprStore = "dapr";

    /// <summary>Run directories (<c>runs/&lt;run id&gt;</c>), the input cache and scratch files live here.</summary>
    public string WorkRoot { get; init; } = "work";

    /// <summary>Where the demo model is built and cached; null: the library's default cache.</summary>
    public string? DemoCache { get; init; }

    /// <summary><c>local</c>: a directory every host sees (<see cref="StoreDirectory"/>); <c>dapr</c>: the output binding <see cref="Binding"/>.</summary>
    public string Store { get; init; } = LocalStore;

    public string StoreDirectory { get; init; } = "artifacts";

    public string Binding { get; init; } = "artifacts";

    public StorageBindingType BindingType { get; init; } = StorageBindingType.LocalStorage;

    /// <summary>bindings.localstorage only: the component's rootPath as its sidecar resolves it.</summary>
    public string? BindingRootPath { get; init; }

    /// <summary>
    /// How long a stopping app waits for its running steps to stop (training saves a checkpoint first); keep the
    /// pod's <c>terminationGracePeriodSeconds</c> above it.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many steps this app runs at once; more wait their turn. One by default: a step takes the whole device
    /// (a GPU, or the cores), and two trainings on one GPU would compete for its memory.
    /// </summary>
    public int MaxConcurrentSteps { get; init; } = 1;

    /// <summary>
    /// For <c>POST /steps</c> only: directories a directly sent step may read models from (as the orchestrator's
    /// <c>Runs:AllowedModelRoots</c>); empty: only the demo model. Workflow activities come from the orchestrator,
    /// which has checked their configs already.
    /// </summary>
    public string[] AllowedModelRoots { get; init; } = [];

    /// <summary>For <c>POST /steps</c> only: directories a directly sent step may read data from.</summary>
    public string[] AllowedDataRoots { get; init; } = [];

    public AllowedRoots AllowedRoots() => new(AllowedModelRoots, AllowedDataRoots, Environment.CurrentDirectory);

    public string ScratchDirectory => Path.Combine(WorkRoot, "tmp");

    public WorkerOptions Validated()
    {
        if (Store is not (LocalStore or DaprStore))
            throw new InvalidInputException($"{Section}:Store is '{Store}'; use '{LocalStore}' or '{DaprStore}'");
        if (MaxConcurrentSteps < 1)
            throw new InvalidInputException($"{Section}:MaxConcurrentSteps is {MaxConcurrentSteps}; use 1 or more");
        if (ShutdownTimeout <= TimeSpan.Zero)
            throw new InvalidInputException($"{Section}:ShutdownTimeout is {ShutdownTimeout}; use a positive time span, e.g. 00:05:00");
        return this;
    }
}
