using OneShotGee.Orchestrator.Sweeps;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>What <c>POST /runs</c> answers: the run's id and whether this request started it.</summary>
public sealed record Submission(string RunId, bool Started);

/// <summary>
/// A run request from POST /runs or the <c>gee-runs</c> topic: validated like <c>oneshotgee run</c> validates run.json,
/// its model and data locations checked against <see cref="RunsOptions.AllowedRoots"/> and made absolute (the workers
/// resolve nothing against their own working directories), recorded as pending, then scheduled with the run id (given, or derived from the config's hash as the CLI does)
/// as the workflow instance id, so a repeated or redelivered request does not start a second run.
/// </summary>
public sealed class RunSubmissions(IRunScheduler scheduler, RunRecorder recorder, RunsOptions options)
{
    /// <summary>A run config is a few KiB; anything near this is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public async Task<Submission> SubmitAsync(RunConfig submitted, CancellationToken ct)
    {
        var config = Validate(submitted);
        var runId = RunRecord.ValidateRunId(config.RunId ?? $"gee-{config.ContentSha256()[..12]}");
        var configJson = config.ToJson();
        await recorder.CreatedAsync(runId, configJson, ct);
        return new Submission(runId, await scheduler.TryScheduleAsync(new GeeRunInput(runId, configJson), ct));
    }

    /// <summary>Every child run is validated and recorded as pending before the sweep is scheduled under its id.</summary>
    public async Task<Submission> SubmitSweepAsync(SweepRequest request, CancellationToken ct)
    {
        var sweep = (request with { Base = options.AllowedRoots().Check(request.Base) }).Expand();
        foreach (var run in sweep.Runs) Validate(RunConfigJson.Parse(run.ConfigJson, $"sweep point '{run.RunId}'"));
        foreach (var run in sweep.Runs) await recorder.CreatedAsync(run.RunId, run.ConfigJson, ct);
        return new Submission(sweep.SweepId, await scheduler.TryScheduleSweepAsync(sweep, ct));
    }

    /// <summary>The config as it is scheduled: every model and data location its resolved absolute path.</summary>
    RunConfig Validate(RunConfig config)
    {
        GeeRun.Plan(config);
        return options.AllowedRoots().Check(config);
    }
}
