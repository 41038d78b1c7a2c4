using System.Net;
using System.Text;
using System.Text.Json;

namespace OneShotGee.Services.Tests;

/// <summary>The app API token check of ServiceDefaults, on the orchestrator's TestServer.</summary>
public sealed class AppApiTokenTests
{
    static readonly Dictionary<string, string?> WithToken = new() { ["APP_API_TOKEN"] = "app-s3cret" };

    static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Add("dapr-api-token", token);
        return request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("app-s3cret-and-more")]
    [InlineData("")]
    public async Task With_APP_API_TOKEN_set_a_request_without_the_right_token_gets_401_problem_details(string? token)
    {
        await using var host = await OrchestratorHost.StartAsync(WithToken);

        var runs = await host.Client.SendAsync(Get("/runs", token));
        var post = new HttpRequestMessage(HttpMethod.Post, "/runs") { Content = new StringContent("{\"run_id\": \"r1\"}", Encoding.UTF8, "application/json") };
        if (token is not null) post.Headers.Add("dapr-api-token", token);
        var submitted = await host.Client.SendAsync(post);
        var subscribe = await host.Client.SendAsync(Get("/dapr/subscribe", token));

        Assert.Equal(HttpStatusCode.Unauthorized, runs.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, subscribe.StatusCode);
        Assert.Equal("application/problem+json", runs.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await runs.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("dapr-api-token", problem.RootElement.GetProperty("detail").GetString());
        Assert.Empty(host.Scheduler.Started);
    }

    [Fact]
    public async Task With_the_right_token_requests_pass()
    {
        await using var host = await OrchestratorHost.StartAsync(WithToken);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(Get("/runs", "app-s3cret"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(Get("/dapr/subscribe", "app-s3cret"))).StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    public async Task Health_and_metrics_need_no_token(string path)
    {
        await using var host = await OrchestratorHost.StartAsync(WithToken);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(Get(path, token: null))).StatusCode);
    }

    [Fact]
    public async Task Without_APP_API_TOKEN_no_token_is_needed()
    {
        await using var host = await OrchestratorHost.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(Get("/runs", token: null))).StatusCode);
    }
}
