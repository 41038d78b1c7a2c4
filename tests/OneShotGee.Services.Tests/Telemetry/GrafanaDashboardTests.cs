using System.Text.Json.Nodes;
using OneShotGee.Tests;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>k8s/grafana/dashboards/oneshotgee.json against what the services export (the scrape of <see cref="MetricsScrape"/>).</summary>
[Collection(MetricsScrape.Collection)]
public sealed class GrafanaDashboardTests(MetricsScrape scrape)
{
    static readonly string DashboardPath = Path.Combine(Fixtures.RepositoryRoot, "k8s", "grafana", "dashboards", "oneshotgee.json");

    static JsonObject Dashboard() => JsonNode.Parse(File.ReadAllText(DashboardPath))!.AsObject();

    static IEnumerable<JsonObject> Panels(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().Select(p => p!.AsObject())
            .SelectMany(p => new[] { p }.Concat(p["panels"]?.AsArray().Select(n => n!.AsObject()) ?? []));

    static IEnumerable<(string Where, string Expr)> Queries(JsonObject dashboard) =>
        Panels(dashboard).Where(p => (string?)p["type"] != "row")
            .SelectMany(p => p["targets"]!.AsArray().Select(t => ($"panel '{p["title"]}'", (string)t!["expr"]!)))
            .Concat(dashboard["templating"]!["list"]!.AsArray().Where(v => (string?)v!["type"] == "query")
                .Select(v => ($"variable '{v!["name"]}'", (string)v["query"]!["query"]!)));

    [Fact]
    public void Every_metric_a_panel_or_variable_queries_is_in_the_scrape()
    {
        var queries = Queries(Dashboard()).ToList();
        Assert.True(queries.Count >= 15, $"only {queries.Count} queries");
        foreach (var (where, expr) in queries)
        {
            var names = PromQlMetricNames.Of(expr);
            Assert.True(names.Count > 0, $"{where}: no metric in '{expr}'");
            foreach (var name in names)
                Assert.True(scrape.Series.SeriesNames.Contains(name), $"{where}: '{name}' (in '{expr}') is not exported");
        }
    }

    [Fact]
    public void The_issue_asks_for_these_series_on_the_dashboard()
    {
        var used = Queries(Dashboard()).SelectMany(q => PromQlMetricNames.Of(q.Expr)).ToHashSet();
        string[] required =
        [
            "oneshotgee_train_loss", "oneshotgee_train_entropy_gap_nat", "oneshotgee_train_group_entropy_nat", "oneshotgee_train_lambda", "oneshotgee_train_kl_nat",
            "oneshotgee_train_tokens_per_second", "oneshotgee_train_step_duration_seconds_bucket", "oneshotgee_train_peak_memory_bytes",
            "oneshotgee_device_memory_used_bytes", "oneshotgee_device_memory_total_bytes",
            "oneshotgee_runs_total", "oneshotgee_runs_in_status", "oneshotgee_eval_metric_value", "oneshotgee_pipeline_step_duration_seconds_count",
        ];
        Assert.Empty(required.Except(used));
    }

    [Fact]
    public void It_is_a_Grafana_dashboard_with_a_Prometheus_datasource_variable_and_a_run_selector()
    {
        var dashboard = Dashboard();
        Assert.Equal("oneshotgee", (string?)dashboard["uid"]);
        Assert.True((int)dashboard["schemaVersion"]! >= 36);
        var variables = dashboard["templating"]!["list"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!.AsObject());
        Assert.Equal(("datasource", "prometheus"), ((string?)variables["datasource"]["type"], (string?)variables["datasource"]["query"]));
        Assert.StartsWith("label_values(", (string?)variables["run_id"]["query"]!["query"]);
        var panels = Panels(dashboard).ToList();
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        Assert.All(panels, p => Assert.NotNull(p["gridPos"]));
        Assert.All(panels.Where(p => (string?)p["type"] != "row"), p => Assert.Equal("${datasource}", (string?)p["datasource"]!["uid"]));
        Assert.All(Queries(dashboard).Where(q => q.Expr.Contains("oneshotgee_train_", StringComparison.Ordinal)),
            q => Assert.Contains("run_id=\"$run_id\"", q.Expr));
    }

    [Theory]
    [InlineData("histogram_quantile(0.95, sum by (le, variant) (rate(a_bucket{run_id=\"$run_id\"}[$__rate_interval])))", "a_bucket")]
    [InlineData("sum by (status) (increase(b_total[5m])) / on (status) c", "b_total,c")]
    [InlineData("label_values(d_count, run_id)", "d_count")]
    [InlineData("e{le=\"+Inf\", x=~\"a|b\"} * 2.5e3", "e")]
    public void Metric_names_are_read_from_PromQL(string expr, string names) =>
        Assert.Equal(names.Split(','), PromQlMetricNames.Of(expr));
}
