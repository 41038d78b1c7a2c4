namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// BBQ Gender_identity labels answers with groups (F, M, woman, boy, trans_F, nonTrans_M, …) and templates with
/// stereotyped groups (F, M, "transgender women", trans, …); both map here to one of F, M, trans, nonTrans so the
/// stereotyped answer can be found (BBQ's own target_loc lives in a metadata file not in the data release).
/// </summary>
static class BbqGroups
{
    public static string Canonical(string group) => group.ToLowerInvariant() switch
    {
        "f" or "woman" or "girl" => "F",
        "m" or "man" or "boy" => "M",
        var g when g.StartsWith("nontrans") => "nonTrans",
        var g when g.StartsWith("trans") => "trans",
        var g => g,
    };
}
