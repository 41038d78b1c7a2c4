using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Modeling.Tests.Tokenization;

public sealed class ScalarValueRegexPreTokenizerTests
{
    // Qwen2's split rules (tokenizer.json pre_tokenizer); digits are split one by one.
    const string QwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    static List<string> Pieces(string text, string pattern = QwenPattern, params string[] specialTokens) =>
        new ScalarValueRegexPreTokenizer(pattern, new SpecialTokenSplitter(specialTokens))
            .PreTokenize(text).Select(p => text.Substring(p.Offset, p.Length)).ToList();

    [Fact]
    public void Splits_ascii_text_by_the_rules() =>
        Assert.Equal(["Hello", ",", " world", "'s", " ", "1", "2", "\n\n"], Pieces("Hello, world's 12\n\n"));

    [Fact]
    public void A_letter_outside_the_BMP_is_one_letter() =>
        Assert.Equal(["a𠮷b", " 𝑫x"], Pieces("a𠮷b 𝑫x"));    // 𠮷 is Lo, 𝑫 is Lu: both \p{L}

    [Fact]
    public void Digits_outside_the_BMP_are_split_one_scalar_at_a_time() =>
        Assert.Equal(["𝟙", "𝟚", "3"], Pieces("𝟙𝟚3"));     // U+1D7D9, U+1D7DA are Nd

    [Fact]
    public void Symbols_outside_the_BMP_group_with_punctuation() =>
        Assert.Equal(["ok", " 😀!", " go"], Pieces("ok 😀! go")); // So joins [^\s\p{L}\p{N}]+

    [Fact]
    public void Special_tokens_are_isolated_before_splitting() =>
        Assert.Equal(["<|im_start|>", "user", "\n", "hi", "<|im_end|>", " "], Pieces("<|im_start|>user\nhi<|im_end|> ", QwenPattern, "<|im_start|>", "<|im_end|>"));

    [Fact]
    public void Text_the_pattern_does_not_match_is_kept_as_its_own_piece() =>
        Assert.Equal(["ab", "--", "cd"], Pieces("ab--cd", @"\p{L}+"));

    [Fact]
    public void A_pattern_naming_characters_outside_the_BMP_is_rejected() =>
        Assert.Throws<ArgumentException>(() => Pieces("x", "😀+"));
}
