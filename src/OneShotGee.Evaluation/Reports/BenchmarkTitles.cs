namespace OneShotGee.Evaluation.Reports;

/// <summary>
/// What each benchmark id measures here, for report headings: the likelihood benchmarks score sentence
/// log-likelihoods of a causal LM, so WinoBias and Winogender are proxies, not the papers' coreference metrics.
/// </summary>
public static class BenchmarkTitles
{
    static readonly Dictionary<string, string> Titles = new()
    {
        ["crows"] = "CrowS-Pairs: pct_stereotype from whole-sentence log-likelihoods (as lm-evaluation-harness scores causal LMs)",
        ["winobias"] = "WinoBias, likelihood proxy: pro- vs anti-stereotypical sentence log-likelihood (not the paper's coreference F1)",
        ["winogender"] = "Winogender, likelihood proxy: male, female and neutral sentence log-likelihoods against occupation statistics (not the paper's coreference accuracy)",
        ["stereoset"] = "StereoSet: SS, LMS and ICAT as the official scorer computes them, from sentence log-likelihoods",
        ["bbq"] = "BBQ: the most likely answer; accuracy, s_DIS and s_AMB as in the paper, over every category file read, then per category, BBQ's attributes (report.json: `s_dis[Religion]` and `categories`; a bias score is absent where every answer was unknown)",
        ["perplexity"] = "Perplexity on held-out text",
        ["gsm8k"] = "GSM8K accuracy",
        ["math500"] = "MATH500 accuracy",
    };

    /// <summary>The heading of a benchmark's section: its description, or the id itself when it has none.</summary>
    public static string Of(string benchmark) => Titles.GetValueOrDefault(benchmark, benchmark);
}
