using System.Text;

namespace OneShotGee.Evaluation.Retention;

/// <summary>Bracket-aware scanning of short LaTeX answers: groups, top-level splits, command arguments.</summary>
public static class LatexText
{
    const string Openers = "([{";
    const string Closers = ")]}";

    /// <summary>
    /// Index of the bracket closing the one at <paramref name="open"/>, or -1. Any of <c>( [ {</c> closes any of
    /// <c>) ] }</c>: half-open intervals such as <c>[1,2)</c> must count as one group.
    /// </summary>
    public static int MatchingClose(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (Openers.Contains(s[i])) depth++;
            else if (Closers.Contains(s[i]) && --depth == 0) return i;
        }
        return -1;
    }

    /// <summary>Whether the whole string is one bracketed group, e.g. <c>(1,2)</c> but not <c>(0,1)\cup(2,3)</c>.</summary>
    public static bool IsWrapped(string s) => s.Length >= 2 && Openers.Contains(s[0]) && MatchingClose(s, 0) == s.Length - 1;

    /// <summary>The parts of <paramref name="s"/> between occurrences of <paramref name="separator"/> outside any brackets.</summary>
    public static List<string> SplitTopLevel(string s, string separator)
    {
        var parts = new List<string>();
        var (depth, start) = (0, 0);
        for (var i = 0; i < s.Length; i++)
        {
            if (Openers.Contains(s[i])) depth++;
            else if (Closers.Contains(s[i])) depth--;
            else if (depth == 0 && string.CompareOrdinal(s, i, separator, 0, separator.Length) == 0)
            {
                parts.Add(s[start..i]);
                start = i + separator.Length;
                i = start - 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    /// <summary>
    /// Reads one TeX argument at <paramref name="at"/>: a <c>{…}</c> group (its content), a control word such as
    /// <c>\pi</c>, or a single character; null at the end of the string or at an unbalanced brace.
    /// </summary>
    public static string? ReadArgument(string s, ref int at)
    {
        while (at < s.Length && s[at] == ' ') at++;
        if (at >= s.Length || s[at] == '}') return null;
        if (s[at] == '{')
        {
            var close = MatchingBrace(s, at);
            if (close < 0) return null;
            var content = s[(at + 1)..close];
            at = close + 1;
            return content;
        }
        var start = at++;
        if (s[start] == '\\')
            while (at < s.Length && char.IsAsciiLetter(s[at])) at++;
        return s[start..at];
    }

    /// <summary>
    /// Braces the arguments of <c>\frac</c> and <c>\sqrt</c>: <c>\frac12</c>, <c>\frac1{2}</c> and <c>\frac{1}2</c> become
    /// <c>\frac{1}{2}</c>, <c>\sqrt2</c> becomes <c>\sqrt{2}</c> (one token, as TeX reads it), nested ones included.
    /// </summary>
    public static string BraceArguments(string s)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < s.Length)
        {
            var command = StartsCommand(s, i, @"\frac") ? @"\frac" : StartsCommand(s, i, @"\sqrt") ? @"\sqrt" : null;
            if (command is null)
            {
                result.Append(s[i++]);
                continue;
            }
            var at = i + command.Length;
            var index = "";
            if (command == @"\sqrt" && at < s.Length && s[at] == '[' && s.IndexOf(']', at) is var end and > 0)
            {
                index = s[at..(end + 1)];
                at = end + 1;
            }
            var arguments = new List<string>();
            for (var k = command == @"\frac" ? 2 : 1; k > 0 && ReadArgument(s, ref at) is { } argument; k--)
                arguments.Add(argument);
            if (arguments.Count != (command == @"\frac" ? 2 : 1))
            {
                result.Append(s, i, s.Length - i);
                break;
            }
            result.Append(command).Append(index);
            foreach (var argument in arguments) result.Append('{').Append(BraceArguments(argument)).Append('}');
            i = at;
        }
        return result.ToString();
    }

    static bool StartsCommand(string s, int at, string command) =>
        string.CompareOrdinal(s, at, command, 0, command.Length) == 0
        && (at + command.Length >= s.Length || !char.IsAsciiLetter(s[at + command.Length]));

    static int MatchingBrace(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] == '{') depth++;
            else if (s[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
