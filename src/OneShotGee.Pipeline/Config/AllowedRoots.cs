using System.Text.RegularExpressions;
using OneShotGee.Core;

namespace OneShotGee.Pipeline.Config;

/// <summary>
/// Where a submitted run may read from: every model path must lie under one of <see cref="ModelRoots"/> and every data
/// path under one of <see cref="DataRoots"/>, after resolving it to its real location (full path, <c>..</c> removed,
/// symbolic links followed). Plain paths and <c>file:</c> URIs are accepted; other schemes are refused. Empty lists allow
/// nothing but the demo model and the built-in data (synthetic prompts, built-in paired templates).
/// Relative paths and roots are taken from <see cref="BaseDirectory"/>, the directory the run's steps resolve them from.
/// </summary>
public sealed partial record AllowedRoots(IReadOnlyList<string> ModelRoots, IReadOnlyList<string> DataRoots, string BaseDirectory)
{
    const int MaxLinks = 40; // Linux's MAXSYMLINKS

    /// <summary>
    /// Checks every location and answers the config with each one replaced by the resolved absolute path it was checked
    /// as, so that every host reading the config reads what was allowed, whatever its working directory.
    /// </summary>
    /// <exception cref="InvalidInputException">The first location outside its roots, naming the field, the value and the roots.</exception>
    public RunConfig Check(RunConfig config) => ConfigPaths.Map(config, path => path.Field == ConfigPaths.ModelField
        ? Require(path, ModelRoots, "model", $"or \"{ConfigPaths.DemoModel}\"")
        : Require(path, DataRoots, "data", "or leave it out to use the built-in data"));

    /// <summary>
    /// Checks a local artifact handed to a step directly (<c>file:</c> URI or path): it must lie under a model or a data
    /// root. Answers its resolved path.
    /// </summary>
    public string CheckArtifact(string name, string location) =>
        Require(new ConfigPath($"input artifact '{name}'", location), [.. ModelRoots, .. DataRoots], "model or data", "or pass it through the artifact store", "");

    string Require(ConfigPath path, IReadOnlyList<string> roots, string kind, string alternative, string origin = "run config ")
    {
        var resolved = Resolve(path);
        if (roots.Select(r => RealPath(Path.GetFullPath(r, BaseDirectory), path, 0)).Any(root => IsUnder(resolved, root))) return resolved;
        var allowed = roots.Count == 0 ? "none are configured" : string.Join(", ", roots);
        throw new InvalidInputException(
            $"{origin}{path.Field} '{path.Value}' (resolved to '{resolved}') is not under an allowed {kind} root ({allowed}); use a location under one {alternative}");
    }

    string Resolve(ConfigPath path)
    {
        var location = path.Value;
        if (string.IsNullOrWhiteSpace(location)) throw new InvalidInputException($"run config {path.Field} is empty");
        if (Scheme().Match(location) is { Success: true } scheme)
        {
            if (!scheme.Groups[1].Value.Equals("file", StringComparison.OrdinalIgnoreCase))
                throw new InvalidInputException($"run config {path.Field} '{location}': the scheme '{scheme.Groups[1].Value}' is not allowed; give a path or a file: URI");
            if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !uri.IsFile || !string.IsNullOrEmpty(uri.Host))
                throw new InvalidInputException($"run config {path.Field} '{location}' is not a local file: URI (file:///path)");
            location = uri.LocalPath;
        }
        return RealPath(Path.GetFullPath(location, BaseDirectory), path, 0);
    }

    /// <summary>The path with every symbolic link along it replaced by its target; components that do not exist are kept as written.</summary>
    static string RealPath(string fullPath, ConfigPath origin, int links)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                    throw new InvalidInputException($"run config {origin.Field} '{origin.Value}' passes through more than {MaxLinks} symbolic links");
                next = RealPath(Path.GetFullPath(target, current), origin, links);
            }
            current = next;
        }
        return current;
    }

    static bool IsUnder(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.Equals(root, comparison) || path.StartsWith(prefix, comparison);
    }

    /// <summary>A URI scheme (RFC 3986 §3.1) of two or more characters, so a Windows drive letter is not taken for one.</summary>
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]+):")]
    private static partial Regex Scheme();
}
