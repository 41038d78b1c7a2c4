using System.Text.RegularExpressions;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.State;

public enum RunStatus { Pending, Running, Completed, Failed }

/// <summary>
/// What <c>GET /runs/{id}</c> shows of a run: where it is, what it was asked to do, its headline metrics and the
/// artifacts it produced. Kept in a run store (<see cref="IRunStore"/>) and updated under optimistic concurrency.
/// </summary>
public sealed partial record RunRecord(
    string RunId,
    RunStatus Status,
    string Stage,
    string ConfigJson,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<ArtifactRef> Artifacts,
    DateTimeOffset Updated,
    string? Error = null)
{
    public const int MaxRunIdLength = 64;

    /// <summary>Run ids become file names, state keys and workflow instance ids: one plain segment.</summary>
    public static string ValidateRunId(string runId)
    {
        if (string.IsNullOrEmpty(runId) || runId.Length > MaxRunIdLength || !Allowed().IsMatch(runId))
            throw new InvalidInputException(
                $"run id '{runId}' is not allowed: use 1-{MaxRunIdLength} letters, digits, '_' and '-', starting with a letter or digit");
        return runId;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex Allowed();
}

/// <summary>A run record with the ETag it was read at; pass the ETag back to <see cref="IRunStore.SaveAsync"/>.</summary>
public sealed record StoredRun(RunRecord Record, string ETag);
