namespace OneShotGee.Data;

/// <summary>
/// Decides whether an ambiguous pronoun ("her") is a determiner ("her book" → "his book") or an object
/// ("gave her a pen" → "gave him a pen"). English-only heuristic, in order:
/// <list type="number">
/// <item>followed by punctuation or the end of the text → object ("to her.", "asked her, then");</item>
/// <item>followed by a function word (preposition, conjunction, article, pronoun, auxiliary) → object ("gave her a", "with her and");</item>
/// <item>followed by a number ("$10", "24", "two") → object after a giving verb ("paid her $8", "gave her 24 outfits"),
///       otherwise determiner ("her 6 children", "her $400 budget");</item>
/// <item>otherwise (a noun or adjective follows) → determiner ("her new car", "her mother").</item>
/// </list>
/// Known misses: an object followed by a bare verb ("made her laugh" → "made his laugh").
/// A possessive ("his") stands alone when punctuation, the end of the text or a function word follows ("is his, not",
/// "his and hers"); otherwise it determines a noun ("his 3 sons", even after a giving verb).
/// </summary>
static class PronounContext
{
    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FunctionWords = Lookup(
        "a", "an", "the", "some", "any", "this", "that", "these", "those", "each", "every", "all", "both", "no", "another",
        "to", "for", "with", "at", "by", "from", "in", "into", "on", "onto", "of", "off", "up", "down", "out", "over", "under",
        "about", "around", "through", "after", "before", "since", "until", "than", "as", "like", "back", "away", "again",
        "too", "enough", "twice", "once", "and", "or", "but", "so", "because", "if", "when", "while", "how", "what",
        "where", "why", "which", "who", "whether", "then", "i", "you", "he", "she", "it", "we", "they", "is", "was",
        "are", "were", "will", "would", "can", "could", "should", "must", "has", "had", "have", "does", "did", "do");

    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NumberWords = Lookup(
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
        "thirty", "forty", "fifty", "hundred", "thousand", "half", "double", "triple", "several", "many", "more", "extra");

    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> GivingVerbs = Lookup(
        "give", "gives", "gave", "giving", "pay", "pays", "paid", "paying", "charge", "charges", "charged", "charging",
        "cost", "costs", "bring", "brings", "brought", "send", "sends", "sent", "tell", "tells", "told", "owe", "owes",
        "owed", "lend", "lends", "lent", "offer", "offers", "offered", "sell", "sells", "sold", "buy", "buys", "bought",
        "hand", "hands", "handed", "show", "shows", "showed", "teach", "teaches", "taught", "leave", "leaves", "left",
        "award", "awards", "awarded", "promise", "promises", "promised", "earn", "earns", "earned", "save", "saves", "saved");

    /// <summary>True when the word at [start, end) determines the noun after it rather than being an object.</summary>
    public static bool IsDeterminer(ReadOnlySpan<char> text, int start, int end)
    {
        var next = Words.SkipSpaces(text, end);
        if (next == text.Length) return false;
        var c = text[next];
        if (char.IsLetter(c))
        {
            var word = Words.Following(text, end);
            if (FunctionWords.Contains(word)) return false;
            if (!NumberWords.Contains(word)) return true;
        }
        else if (!char.IsDigit(c) && !IsCurrency(c)) return false;
        return !GivingVerbs.Contains(Words.Preceding(text, start));
    }

    /// <summary>True when the possessive ending at <paramref name="end"/> stands alone rather than determining a noun.</summary>
    public static bool StandsAlone(ReadOnlySpan<char> text, int end)
    {
        var next = Words.SkipSpaces(text, end);
        if (next == text.Length) return true;
        var c = text[next];
        if (char.IsLetter(c)) return AfterStandalonePossessive.Contains(Words.Following(text, end));
        return ".,;:!?)".Contains(c); // a quote or bracket may open the noun phrase: his "lucky" coin
    }

    // Words that follow a standalone possessive ("is his and", "his was", "his too") but never start the noun phrase a
    // determiner governs; unlike FunctionWords, no word that is also a noun or adjective ("back", "will", "can", "like").
    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> AfterStandalonePossessive = Lookup(
        "and", "or", "but", "nor", "than", "as", "is", "was", "are", "were", "has", "had", "does", "did", "too",
        "either", "not", "to", "for", "with", "at", "by", "from", "in", "on", "of", "because", "if", "when", "while");

    static bool IsCurrency(char c) => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.CurrencySymbol;

    static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(params string[] words) =>
        new HashSet<string>(words, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
}
