using Dapr;
using OneShotGee.Core;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Pipeline.State;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Orchestrator.Apis;

/// <summary>
/// <c>POST /runs</c> (body: run.json, optionally with <c>run_id</c>), <c>GET /runs</c> (recent runs, <c>?limit=</c>),
/// <c>GET /runs/{id}</c>, and the <c>gee-runs</c>
/// topic on the <c>pubsub</c> component (CloudEvents), which submits exactly like POST /runs.
/// </summary>
public static class RunsApi
{
    public const string PubSub = "pubsub", Topic = "gee-runs";

    /// <summary>
    /// Where daprd moves a <c>gee-runs</c> event whose delivery still fails once the component's inbound retries are
    /// spent (dapr pkg/runtime/subscription/subscription.go, route.DeadLetterTopic), instead of redelivering it for ever.
    /// Nobody subscribes to it here; <c>maxLenApprox</c> on the component bounds it.
    /// </summary>
    public const string DeadLetterTopic = "gee-runs-dead";
    public const int DefaultLimit = 20, MaxLimit = 100;

    public static WebApplication MapRunsApi(this WebApplication app)
    {
        app.UseCloudEvents();
        app.MapSubscribeHandler();
        var runs = app.MapGroup("/runs");
        runs.MapPost("/", SubmitAsync);
        runs.MapGet("/", ListAsync);
        runs.MapGet("/{runId}", GetAsync);
        runs.MapPost("/events", OnEventAsync).WithTopic(new TopicOptions { PubsubName = PubSub, Name = Topic, DeadLetterTopic = DeadLetterTopic });
        return app;
    }

    static async Task<IResult> SubmitAsync(HttpRequest request, RunSubmissions submissions, CancellationToken ct)
    {
        var submission = await submissions.SubmitAsync(RunConfigJson.Parse(await ReadBodyAsync(request, ct), "request body"), ct);
        var location = $"/runs/{submission.RunId}";
        return submission.Started ? Results.Accepted(location, submission) : Results.Ok(submission);
    }

    static async Task<IResult> ListAsync(IRunStore store, CancellationToken ct, string? limit = null)
    {
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out count) || count is < 1 or > MaxLimit))
            throw new InvalidInputException($"query parameter limit '{limit}' must be a whole number from 1 to {MaxLimit}");
        return Results.Ok(await store.ListRecentAsync(count, ct));
    }

    static async Task<IResult> GetAsync(string runId, IRunStore store, CancellationToken ct) =>
        await store.GetAsync(RunRecord.ValidateRunId(runId), ct) is { } stored ? Results.Ok(stored.Record) : Results.NotFound();

    /// <summary>Dapr retries a delivery on any non-2xx answer; an invalid request will never succeed, so it is dropped.</summary>
    static async Task<IResult> OnEventAsync(HttpRequest request, RunSubmissions submissions, ILogger<RunSubmissions> logger, CancellationToken ct)
    {
        try
        {
            await submissions.SubmitAsync(RunConfigJson.Parse(await ReadBodyAsync(request, ct), $"'{Topic}' event data"), ct);
            return Results.Ok(new { status = "SUCCESS" });
        }
        catch (Exception e) when (e is InvalidInputException or RequestTooLargeException)
        {
            logger.LogWarning("Dropped a '{Topic}' event: {Problem}", Topic, e.Message);
            return Results.Ok(new { status = "DROP" });
        }
    }

    internal static Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct) =>
        RequestBody.ReadAsync(request, RunSubmissions.MaxBodyBytes, "a run config", ct);
}
