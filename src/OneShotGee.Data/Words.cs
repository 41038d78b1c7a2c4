namespace OneShotGee.Data;

/// <summary>
/// Whole-word scanning: a word is a maximal run of letters, so apostrophes, digits and punctuation end it
/// ("he's" holds the word "he"; "Shelley" and "hershey" are single words that contain no lexicon word).
/// </summary>
static class Words
{
    /// <summary>Finds the first word starting at or after <paramref name="from"/>; <paramref name="end"/> is exclusive.</summary>
    public static bool TryNext(ReadOnlySpan<char> text, int from, out int start, out int end)
    {
        start = from;
        while (start < text.Length && !char.IsLetter(text[start])) start++;
        end = start;
        while (end < text.Length && char.IsLetter(text[end])) end++;
        return end > start;
    }

    /// <summary>The word right after position <paramref name="from"/> past spaces, or empty when something else comes first.</summary>
    public static ReadOnlySpan<char> Following(ReadOnlySpan<char> text, int from)
    {
        var start = SkipSpaces(text, from);
        var end = start;
        while (end < text.Length && char.IsLetter(text[end])) end++;
        return text[start..end];
    }

    /// <summary>The word right before position <paramref name="before"/> past spaces, or empty when something else comes first.</summary>
    public static ReadOnlySpan<char> Preceding(ReadOnlySpan<char> text, int before)
    {
        var end = before;
        while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
        var start = end;
        while (start > 0 && char.IsLetter(text[start - 1])) start--;
        return text[start..end];
    }

    public static int SkipSpaces(ReadOnlySpan<char> text, int from)
    {
        while (from < text.Length && char.IsWhiteSpace(text[from])) from++;
        return from;
    }
}
