using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OneShotGee.Core;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Remote;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Workers;

/// <summary>
/// <c>POST /steps/{activity}</c> with a <see cref="StepRequest"/> (JSON) runs the step here, as the workflow activity of
/// that name would, and answers the stored outputs' references: the same work without a workflow, for direct use.
/// </summary>
public static class StepEndpoints
{
    /// <summary>A request is a run config (at most 64 KiB) and a few references.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static IEndpointRouteBuilder MapStepEndpoints(this IEndpointRouteBuilder app, params string[] activities)
    {
        app.MapPost("/steps/{activity}", async (string activity, HttpRequest http, StepWorker worker, WorkerOptions options, CancellationToken ct) =>
        {
            if (!activities.Contains(activity))
                return Results.Problem($"this app runs {string.Join(", ", activities)}, not '{activity}'", statusCode: StatusCodes.Status404NotFound);
            var request = await ReadAsync(http, ct);
            CheckLocations(request, options.AllowedRoots());
            return Results.Ok(await worker.RunAsync(activity, request, ct));
        });
        return app;
    }

    /// <summary>
    /// A step sent directly reads only what a run submitted to the orchestrator could: its config's locations and any
    /// local input artifact under the allowed roots (inputs in the artifact store are checked by their SHA-256).
    /// </summary>
    static void CheckLocations(StepRequest request, AllowedRoots roots)
    {
        roots.Check(RunConfig.Parse(request.ConfigJson, $"step request '{request.RunId}' config"));
        foreach (var input in request.Inputs)
            if (Uri.TryCreate(input.Uri, UriKind.Absolute, out var uri) && uri.IsFile)
                roots.CheckArtifact(input.Name, input.Uri);
    }

    static async Task<StepRequest> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        var body = await RequestBody.ReadAsync(http, MaxBodyBytes, "a step request", ct);
        try
        {
            return JsonSerializer.Deserialize<StepRequest>(body, Json)
                   ?? throw new InvalidInputException("request body is null; send a step request (runId, configJson, step, inputs)");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"request body is not a valid step request: {e.Message}", e);
        }
    }
}
