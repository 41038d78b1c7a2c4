namespace OneShotGee.Data;

/// <summary>
/// One row of a prepared dataset. Rows sharing <c>PairId</c> are counterfactual twins (one row per group);
/// a row without a twin has its own id as pair id. <c>Source</c> is the input file name, <c>counterfactual</c>,
/// <c>oneshot-template</c> or <c>synthetic</c>.
/// </summary>
public sealed record PreparedRow(string Id, string Text, string Group, string PairId, string Source);
