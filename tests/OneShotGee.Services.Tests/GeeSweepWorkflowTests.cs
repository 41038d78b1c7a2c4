using System.Text.Json;
using Dapr.Workflow;
using OneShotGee.Orchestrator.Sweeps;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Services.Tests;

/// <summary>The sweep workflow with a recording context: child runs are answered by the test, in an order it chooses.</summary>
public sealed class GeeSweepWorkflowTests
{
    static GeeSweepInput Sweep(int points, int maxParallel) =>
        new("sw", [.. Enumerable.Range(0, points).Select(k => new GeeRunInput($"sw-{k}", $"{{\"run_id\":\"sw-{k}\"}}"))], maxParallel);

    static ArtifactRef Report(string runId) => new("report", $"file:///runs/{runId}/report", 1, new string('0', 64));

    /// <summary>
    /// Runs the workflow off xunit's synchronization context, so completing a child resumes the workflow inline up to
    /// its next await; then completes the oldest (or newest) pending child until the workflow ends.
    /// </summary>
    static Task<GeeSweepResult> DriveAsync(RecordingWorkflowContext context, GeeSweepInput input, string? failing = null, bool newestFirst = false) =>
        Task.Run(() =>
        {
            var run = new GeeSweepWorkflow().RunAsync(context, input);
            while (!run.IsCompleted)
            {
                var pending = context.Children.Where(c => !c.Result.Task.IsCompleted).ToList();
                var child = newestFirst ? pending[^1] : pending[0];
                var runId = ((GeeRunInput)child.Input!).RunId;
                if (runId == failing)
                    child.Result.SetException(new WorkflowTaskFailedException("child failed",
                        new WorkflowTaskFailureDetails("System.IO.IOException", "disk full", "")));
                else
                    child.Result.SetResult(new GeeRunResult(runId, [Report(runId)]));
            }
            return run;
        });

    static RecordingWorkflowContext Context() => new((a, _) => throw new InvalidOperationException($"unexpected activity {a}"));

    [Fact]
    public async Task Each_point_runs_as_a_child_run_under_its_run_id_at_most_max_parallel_at_once()
    {
        var context = Context();
        var result = await DriveAsync(context, Sweep(points: 5, maxParallel: 2));

        Assert.Equal(["sw-0", "sw-1", "sw-2", "sw-3", "sw-4"], context.Children.Select(c => c.Options!.InstanceId));
        Assert.All(context.Children, c => Assert.Equal(nameof(GeeRunWorkflow), c.Workflow));
        Assert.Equal("{\"run_id\":\"sw-3\"}", ((GeeRunInput)context.Children[3].Input!).ConfigJson);
        Assert.Equal(2, context.MaxChildrenInFlight);
        Assert.Equal(["sw-0", "sw-1", "sw-2", "sw-3", "sw-4"], result.Runs.Select(r => r.RunId));
        Assert.All(result.Runs, r => Assert.Equal([Report(r.RunId)], r.Artifacts));
        Assert.Equal("5/5 runs finished, 0 failed", context.Statuses[^1]);
    }

    [Fact]
    public async Task Results_keep_the_points_order_whatever_order_children_finish_in()
    {
        var context = Context();
        var result = await DriveAsync(context, Sweep(points: 4, maxParallel: 3), newestFirst: true);

        Assert.Equal(3, context.MaxChildrenInFlight);
        Assert.Equal(["sw-0", "sw-1", "sw-2", "sw-3"], result.Runs.Select(r => r.RunId));
        Assert.All(result.Runs, r => Assert.Equal(r.RunId, r.Artifacts.Single().Uri.Split('/')[^2]));
    }

    [Fact]
    public async Task A_failed_child_is_reported_and_the_others_still_run()
    {
        var context = Context();
        var result = await DriveAsync(context, Sweep(points: 4, maxParallel: 2), failing: "sw-1");

        Assert.Equal(4, context.Children.Count);
        var failed = Assert.Single(result.Runs, r => !r.Succeeded);
        Assert.Equal("sw-1", failed.RunId);
        Assert.Equal("disk full", failed.Error);
        Assert.Empty(failed.Artifacts);
        Assert.Equal("4/4 runs finished, 1 failed", context.Statuses[^1]);
        Assert.Contains("Sweep sw: run sw-1 failed: disk full", context.Log.Messages);
        Assert.Equal(3, context.Log.Messages.Count(m => m.EndsWith(" completed")));
    }

    [Fact]
    public async Task Running_twice_records_the_same_actions()
    {
        var first = Context();
        var second = Context();
        await DriveAsync(first, Sweep(points: 5, maxParallel: 2), failing: "sw-2");
        await DriveAsync(second, Sweep(points: 5, maxParallel: 2), failing: "sw-2");

        Assert.Equal(5, first.Actions.Count(a => a.StartsWith("child ")));
        Assert.Equal(first.Actions, second.Actions);
    }

    [Fact]
    public void A_sweep_request_expands_to_every_combination_in_the_train_section_with_one_named_variant()
    {
        var request = new SweepRequest { SweepId = "lam", Lambda = [0.5, 3], Penalty = ["l1", "l2"], MaxParallel = 3 };
        var sweep = request.Expand();

        Assert.Equal(3, sweep.MaxParallel);
        Assert.Equal(["lam-0", "lam-1", "lam-2", "lam-3"], sweep.Runs.Select(r => r.RunId));
        var configs = sweep.Runs.Select(r => JsonDocument.Parse(r.ConfigJson).RootElement).ToList();
        Assert.Equal([0.5, 0.5, 3, 3], configs.Select(c => c.GetProperty("train").GetProperty("lambda").GetDouble()));
        Assert.Equal(["l1", "l2", "l1", "l2"], configs.Select(c => c.GetProperty("train").GetProperty("penalty").GetString()));
        Assert.Equal(["gee-lambda0.5-penaltyl1", "gee-lambda0.5-penaltyl2", "gee-lambda3-penaltyl1", "gee-lambda3-penaltyl2"],
            configs.Select(c => c.GetProperty("variants").EnumerateArray().Single().GetProperty("name").GetString()));
        Assert.Equal("lam-2", configs[2].GetProperty("run_id").GetString());
    }

    [Fact]
    public void A_kl_coef_axis_sweeps_the_KL_anchor_after_lambda()
    {
        var sweep = new SweepRequest { SweepId = "kl", Lambda = [3], KlCoef = [0, 0.1] }.Expand();

        var configs = sweep.Runs.Select(r => JsonDocument.Parse(r.ConfigJson).RootElement).ToList();
        Assert.Equal([0, 0.1], configs.Select(c => c.GetProperty("train").GetProperty("kl_coef").GetDouble()));
        Assert.Equal(["gee-lambda3-kl_coef0", "gee-lambda3-kl_coef0.1"],
            configs.Select(c => c.GetProperty("variants").EnumerateArray().Single().GetProperty("name").GetString()));
    }
}
