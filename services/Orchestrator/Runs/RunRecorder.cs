using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.State;
using OneShotGee.Pipeline.Steps;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>
/// Keeps the run record (what GET /runs/{id} shows) in step with the workflow: read, change, save with the ETag that
/// was read, and on a conflict read again, so concurrent writers never lose each other's changes.
/// </summary>
public sealed class RunRecorder(IRunStore store, TimeProvider clock)
{
    const int Attempts = 5;

    /// <summary>Records a new run as pending; a run that already has a record keeps it.</summary>
    public async Task CreatedAsync(string runId, string configJson, CancellationToken ct)
    {
        try
        {
            await store.SaveAsync(new RunRecord(runId, RunStatus.Pending, "scheduled", configJson,
                new Dictionary<string, double>(), [], clock.GetUtcNow()), expectedETag: null, ct);
            RunMeter.Entered(RunStatus.Pending);
        }
        catch (RunConflictException) { }
    }

    /// <summary>The stage becomes the step, or with variants in parallel the steps in flight (<paramref name="running"/>).</summary>
    public Task StepStartedAsync(string runId, string step, CancellationToken ct, IReadOnlyList<string>? running = null) =>
        UpdateAsync(runId, r => r with { Status = RunStatus.Running, Stage = StageOf(running) ?? step, Error = null }, ct);

    /// <summary>
    /// Adds the step's outputs and its metrics (as <c>&lt;step&gt;.&lt;name&gt;</c>, replacing an earlier attempt's); with
    /// steps still in flight (<paramref name="running"/>) the stage becomes them, else it stays.
    /// </summary>
    public Task StepCompletedAsync(
        string runId, string step, IReadOnlyList<ArtifactRef> outputs, IReadOnlyDictionary<string, double>? metrics, CancellationToken ct,
        IReadOnlyList<string>? running = null) =>
        UpdateAsync(runId, r => r with
        {
            Status = step == ReportStep.Output ? RunStatus.Completed : RunStatus.Running,
            Stage = StageOf(running) ?? r.Stage,
            Artifacts = [.. r.Artifacts.Where(a => outputs.All(o => o.Name != a.Name)), .. outputs],
            Metrics = Merged(r.Metrics, step, metrics ?? new Dictionary<string, double>()),
        }, ct);

    static string? StageOf(IReadOnlyList<string>? running) => running is { Count: > 0 } ? string.Join(", ", running) : null;

    static Dictionary<string, double> Merged(IReadOnlyDictionary<string, double> recorded, string step, IReadOnlyDictionary<string, double> metrics)
    {
        var merged = recorded.Where(m => !m.Key.StartsWith(step + ".", StringComparison.Ordinal)).ToDictionary();
        foreach (var (name, value) in metrics) merged[$"{step}.{name}"] = value;
        return merged;
    }

    public Task StepFailedAsync(string runId, string step, string error, CancellationToken ct) =>
        UpdateAsync(runId, r => r with { Status = RunStatus.Failed, Stage = step, Error = $"{step}: {error}" }, ct);

    async Task UpdateAsync(string runId, Func<RunRecord, RunRecord> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(runId, ct);
            var current = stored?.Record ?? new RunRecord(runId, RunStatus.Pending, "", "{}", new Dictionary<string, double>(), [], clock.GetUtcNow());
            var changed = change(current) with { Updated = clock.GetUtcNow() };
            try
            {
                await store.SaveAsync(changed, stored?.ETag, ct);
                if (changed.Status != current.Status) RunMeter.Entered(changed.Status);
                return;
            }
            catch (RunConflictException) when (attempt < Attempts) { }
        }
    }
}
