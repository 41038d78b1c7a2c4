using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Orchestrator.Sweeps;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.State;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Orchestrator.Apis;

/// <summary>
/// <c>POST /sweeps</c> (body: <see cref="SweepRequest"/>) schedules a <c>GeeSweepWorkflow</c> under the sweep id, once;
/// <c>GET /sweeps/{id}</c> answers the records of its child runs <c>&lt;id&gt;-0</c>, <c>&lt;id&gt;-1</c>, … (all are
/// recorded as pending when the sweep is submitted, so the list ends at the first id without a record), how many are in
/// each status, and whether all have finished.
/// </summary>
public static class SweepsApi
{
    public static WebApplication MapSweepsApi(this WebApplication app)
    {
        var sweeps = app.MapGroup("/sweeps");
        sweeps.MapPost("/", SubmitAsync);
        sweeps.MapGet("/{sweepId}", GetAsync);
        return app;
    }

    static async Task<IResult> SubmitAsync(HttpRequest request, RunSubmissions submissions, CancellationToken ct)
    {
        var body = await RequestBody.ReadAsync(request, RunSubmissions.MaxBodyBytes, "a sweep", ct);
        if (body.Length == 0) throw new InvalidInputException("request body is empty; send a sweep: {\"base\": {run config}, \"lambda\": [...], ...}");
        SweepRequest sweep;
        try { sweep = JsonSerializer.Deserialize<SweepRequest>(body, JsonOverlay.Json) ?? throw new InvalidInputException("request body is null; send a sweep as a JSON object"); }
        catch (JsonException e) { throw new InvalidInputException($"request body is not a valid sweep: {e.Message}", e); }
        var submission = await submissions.SubmitSweepAsync(sweep, ct);
        var location = $"/sweeps/{submission.RunId}";
        return submission.Started ? Results.Accepted(location, submission) : Results.Ok(submission);
    }

    static async Task<IResult> GetAsync(string sweepId, IRunStore store, CancellationToken ct)
    {
        RunRecord.ValidateRunId(sweepId);
        var runs = new List<RunRecord>();
        while (runs.Count < SweepRequest.MaxPoints && await store.GetAsync($"{sweepId}-{runs.Count}", ct) is { } stored) runs.Add(stored.Record);
        if (runs.Count == 0) return Results.NotFound();
        var counts = Enum.GetValues<RunStatus>().ToDictionary(s => s, s => runs.Count(r => r.Status == s));
        var finished = counts[RunStatus.Completed] + counts[RunStatus.Failed] == runs.Count;
        return Results.Ok(new { SweepId = sweepId, Finished = finished, Counts = counts, Runs = runs });
    }
}
