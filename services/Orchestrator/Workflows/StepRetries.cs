using Dapr.Workflow;
using OneShotGee.Core;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>One activity retry policy as configuration: attempts, first wait, growth factor and longest wait.</summary>
public sealed record StepRetry
{
    public int MaxAttempts { get; init; } = 3;
    public TimeSpan FirstInterval { get; init; } = TimeSpan.FromSeconds(5);
    public double BackoffCoefficient { get; init; } = 2;
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest time the attempts can be spread over: the sum of the waits between them.</summary>
    public TimeSpan Span()
    {
        var total = TimeSpan.Zero;
        var wait = FirstInterval;
        for (var retry = 1; retry < MaxAttempts; retry++)
        {
            total += wait < MaxInterval ? wait : MaxInterval;
            wait = TimeSpan.FromTicks((long)Math.Min(wait.Ticks * BackoffCoefficient, MaxInterval.Ticks));
        }
        return total;
    }

    public WorkflowRetryPolicy ToPolicy() => new(MaxAttempts, FirstInterval, BackoffCoefficient, MaxInterval);

    public StepRetry Validated(string name)
    {
        if (MaxAttempts < 1)
            throw new InvalidInputException($"{name}:MaxAttempts is {MaxAttempts}; use 1 or more");
        if (FirstInterval <= TimeSpan.Zero || MaxInterval < FirstInterval)
            throw new InvalidInputException($"{name}: FirstInterval {FirstInterval} and MaxInterval {MaxInterval}; use positive spans with MaxInterval >= FirstInterval");
        if (BackoffCoefficient < 1)
            throw new InvalidInputException($"{name}:BackoffCoefficient is {BackoffCoefficient}; use 1 or more");
        return this;
    }
}

/// <summary>
/// The <c>Runs:StepRetries</c> section: how <see cref="GeeRunWorkflow"/> retries its activities. Activities on the
/// orchestrator itself (<see cref="Local"/>) fail for local reasons and get a few quick retries. A step on another
/// app (<see cref="CrossApp"/>) may find that app not there yet: a trainer pod scheduled on a fresh GPU node pulls a
/// multi-GB CUDA image first, which takes minutes, so those retries span about ten minutes. Training
/// (<see cref="Training"/>) resumes from its latest checkpoint, so it gets slower attempts again. The scheduler puts
/// them in each run's input (<see cref="GeeRunInput.Retries"/>): a run keeps the policies it was started with.
/// </summary>
public sealed record StepRetries
{
    public const string Section = "StepRetries";

    public StepRetry Local { get; init; } = new();

    /// <summary>Waits 15 s, 30 s, 1 min, then 2 min: 8 attempts over about 10 minutes.</summary>
    public StepRetry CrossApp { get; init; } = new()
    {
        MaxAttempts = 8, FirstInterval = TimeSpan.FromSeconds(15), BackoffCoefficient = 2, MaxInterval = TimeSpan.FromMinutes(2),
    };

    /// <summary>Waits 30 s, 1, 2, 4 min: 5 attempts over about 7.5 minutes.</summary>
    public StepRetry Training { get; init; } = new()
    {
        MaxAttempts = 5, FirstInterval = TimeSpan.FromSeconds(30), BackoffCoefficient = 2, MaxInterval = TimeSpan.FromMinutes(10),
    };

    public StepRetries Validated(string name)
    {
        Local.Validated($"{name}:{nameof(Local)}");
        CrossApp.Validated($"{name}:{nameof(CrossApp)}");
        Training.Validated($"{name}:{nameof(Training)}");
        return this;
    }
}
