using System.Diagnostics;
using OneShotGee.Tests;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>What <c>/metrics</c> exports after a short real run (see <see cref="MetricsScrape"/>), and its spans.</summary>
[Collection(MetricsScrape.Collection)]
public sealed class MetricsScrapeTests(MetricsScrape scrape)
{
    const double Tolerance = 1e-9;

    PrometheusText.Sample Single(string name, params (string Label, string Value)[] labels)
    {
        var matches = scrape.Series.Of(name).Where(s => labels.All(l => s.Has(l.Label, l.Value))).ToList();
        Assert.True(matches.Count == 1, $"{name} {string.Join(",", labels)}: {matches.Count} samples in\n{scrape.Text}");
        return matches[0];
    }

    double Train(string name, params (string, string)[] more) =>
        Single(name, [("run_id", scrape.RunId), ("model", MetricsScrape.Model), ("variant", "gee"), .. more]).Value;

    [Fact]
    public void Training_step_gauges_carry_run_model_and_variant_and_agree_with_the_GEE_definitions()
    {
        double loss = Train("oneshotgee_train_loss"), em = Train("oneshotgee_train_loss_em"), bias = Train("oneshotgee_train_loss_bias");
        double male = Train("oneshotgee_train_group_entropy_nat", ("group", "male")), female = Train("oneshotgee_train_group_entropy_nat", ("group", "female"));
        var lambda = Train("oneshotgee_train_lambda");
        var kl = Train("oneshotgee_train_kl_nat");

        Assert.Equal(em + bias + 0.1 * kl, loss, Tolerance);             // L = L_EM + L_bias + β·KL, β = 0.1
        Assert.True(kl > 0);                                              // step 2 samples from a model one step from its start
        Assert.Equal(Train("oneshotgee_train_mean_entropy_nat"), em, Tolerance); // L_EM is the mean token entropy
        Assert.Equal(Math.Abs(male - female), Train("oneshotgee_train_entropy_gap_nat"), 1e-6);
        Assert.Equal(3.0, lambda);                                        // TrainOptions' default lambda, no annealing
        Assert.InRange(bias, 0, lambda * 2 * Math.Pow(male - female, 2)); // λ Σ_g (H_g − H̄)² ≤ λ·2·gap² for two groups
        Assert.True(Train("oneshotgee_train_grad_norm") > 0);
        Assert.True(Train("oneshotgee_train_tokens_per_second") > 0);
        Assert.True(Train("oneshotgee_train_peak_memory_bytes", ("device", "host")) > 10_000_000);
    }

    [Fact]
    public void Training_counters_and_histograms_count_two_steps_of_at_most_four_times_eight_tokens_and_one_checkpoint()
    {
        Assert.Equal(2, Train("oneshotgee_train_steps_total"));
        Assert.InRange(Train("oneshotgee_train_generated_tokens_total"), 2, 2 * 4 * 8);
        Assert.Equal(2, Train("oneshotgee_train_step_duration_seconds_count"));
        Assert.Equal(2, Train("oneshotgee_train_step_duration_seconds_bucket", ("le", "+Inf")));
        Assert.True(Train("oneshotgee_train_step_duration_seconds_sum") > 0);
        Assert.Equal(1, Train("oneshotgee_train_checkpoint_duration_seconds_count"));
        Assert.Equal(scrape.CheckpointBytes, Train("oneshotgee_train_checkpoint_size_bytes"));
    }

    [Fact]
    public void Data_prep_counts_rows_read_kept_and_dropped_per_group()
    {
        double Rows(string what, string group) => Single($"oneshotgee_data_rows_{what}_total", ("run_id", scrape.PrepRunId), ("group", group)).Value;
        Assert.Equal((3, 1, 2), (Rows("read", "male"), Rows("read", "female"), Rows("read", "neutral")));
        Assert.Equal((1, 1), (Rows("kept", "male"), Rows("kept", "female")));
        Assert.Equal((2, 0, 2), (Rows("dropped", "male"), Rows("dropped", "female"), Rows("dropped", "neutral")));

        // Inside the pipeline: 16 synthetic prompts, balanced 8 and 8, labelled with the run's base model.
        var kept = Single("oneshotgee_data_rows_kept_total", ("run_id", scrape.RunId), ("model", MetricsScrape.Model), ("group", "female"));
        Assert.Equal(8, kept.Value);
        Assert.False(kept.Labels.ContainsKey("variant"));
    }

    [Fact]
    public void Evaluation_metrics_are_labelled_by_benchmark_metric_and_the_evaluated_variant()
    {
        double Metric(string metric) => Single("oneshotgee_eval_metric_value", ("run_id", scrape.RunId), ("model", MetricsScrape.Model),
            ("variant", "gee"), ("benchmark", "perplexity"), ("metric", metric)).Value;
        Assert.Equal(Math.Exp(Metric("nll_per_token")), Metric("perplexity"), 1e-9);
        Assert.Equal(3, Single("oneshotgee_eval_items", ("run_id", scrape.RunId), ("benchmark", "perplexity")).Value);
        Assert.Equal(1, Single("oneshotgee_eval_duration_seconds_count", ("run_id", scrape.RunId), ("benchmark", "perplexity")).Value);
    }

    [Fact]
    public void Pipeline_steps_and_run_statuses_are_counted()
    {
        foreach (var step in new[] { "prepare-train-data", "train-gee", "evaluate-gee" })
            Assert.Equal(1, Single("oneshotgee_pipeline_step_duration_seconds_count", ("run_id", scrape.RunId), ("step", step), ("status", "completed")).Value);
        // Other tests of this assembly record runs too: at least this fixture's two.
        Assert.True(Single("oneshotgee_runs_total", ("status", "pending")).Value >= 2);
        foreach (var status in new[] { "running", "completed", "failed" })
            Assert.True(Single("oneshotgee_runs_total", ("status", status)).Value >= 1, status);
        // Now: this fixture's store holds one completed, one failed and one pending run.
        Assert.Equal([("completed", 1.0), ("failed", 1.0), ("pending", 1.0), ("running", 0.0)],
            scrape.Series.Samples.Where(s => s.Name == "oneshotgee_runs_in_status").Select(s => (s.Labels["status"], s.Value)).Order());
    }

    [Fact]
    public void Families_have_the_Prometheus_types_their_suffixes_promise()
    {
        foreach (var (family, type) in scrape.Series.Types.Where(t => t.Key.StartsWith("oneshotgee_", StringComparison.Ordinal)))
        {
            var expected = family.EndsWith("_total", StringComparison.Ordinal) ? "counter"
                : family.EndsWith("_duration_seconds", StringComparison.Ordinal) ? "histogram" : "gauge";
            Assert.True(expected == type, $"{family} is a {type}");
        }
    }

    [Fact]
    public void Docs_metrics_md_lists_exactly_the_exported_oneshotgee_families()
    {
        var documented = File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, "docs", "metrics.md"))
            .Where(line => line.StartsWith("| `oneshotgee_", StringComparison.Ordinal))
            .Select(line => line.Split('`')[1]).ToHashSet();
        var exported = scrape.Series.Types.Keys.Where(k => k.StartsWith("oneshotgee_", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(exported.Order(), documented.Order());
    }

    [SkippableFact]
    public async Task The_scrape_passes_promtool_check_metrics()
    {
        var promtool = ExternalTool.Require("promtool", "lint the /metrics output (Debian/Ubuntu: apt-get install prometheus)");
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(scrape.Text);
        process.StandardInput.Close();
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"promtool check metrics: {await stdout}{await stderr}");
    }

    [Fact]
    public void A_run_is_traced_as_pipeline_steps_with_training_steps_evaluation_and_data_prep_below_them()
    {
        var steps = scrape.Spans.Where(s => s.DisplayName == "pipeline.step").ToDictionary(s => (string)s.GetTagItem("step")!);
        Assert.Equal(["evaluate-gee", "prepare-train-data", "train-gee"], steps.Keys.Order());
        Assert.All(steps.Values, s => Assert.Equal(scrape.RunId, s.GetTagItem("run_id")));

        var trainSteps = scrape.Spans.Where(s => s.DisplayName == "train.step").ToList();
        Assert.Equal([1, 2], trainSteps.Select(s => (int)s.GetTagItem("train.step")!).Order());
        Assert.All(trainSteps, s => Assert.Equal(steps["train-gee"].SpanId, s.ParentSpanId));
        var evaluation = Assert.Single(scrape.Spans, s => s.DisplayName == "evaluate.benchmark");
        Assert.Equal(("perplexity", steps["evaluate-gee"].SpanId), (evaluation.GetTagItem("benchmark"), evaluation.ParentSpanId));
        Assert.Equal(steps["prepare-train-data"].SpanId, Assert.Single(scrape.Spans, s => s.DisplayName == "data.prepare").ParentSpanId);
    }
}
