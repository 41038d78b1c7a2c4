using OneShotGee.Core;
using OneShotGee.Dapr;

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

    public string ScratchDirectory => Path.Combine(WorkRoot, "tmp");

    public WorkerOptions Validated()
    {
        if (Store is not (LocalStore or DaprStore))
            throw new InvalidInputException($"{Section}:Store is '{Store}'; use '{LocalStore}' or '{DaprStore}'");
        if (ShutdownTimeout <= TimeSpan.Zero)
            throw new InvalidInputException($"{Section}:ShutdownTimeout is {ShutdownTimeout}; use a positive time span, e.g. 00:05:00");
        return this;
    }
}
