using System.Text;
using Microsoft.ML.Tokenizers;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// tokenizer.json's <c>{"type": "NFC"}</c> normalizer. Special tokens are left out of the normalization, as
/// Hugging Face does, so a combining mark after a token such as <c>&lt;|im_end|&gt;</c> cannot fuse with it.
/// </summary>
public sealed class NfcNormalizer(SpecialTokenSplitter specialTokens) : Normalizer
{
    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        var normalized = new StringBuilder(original.Length);
        foreach (var (offset, length, isSpecial) in specialTokens.Split(original))
        {
            var piece = original.Slice(offset, length).ToString();
            normalized.Append(isSpecial ? piece : WithoutLoneSurrogates(piece).Normalize(NormalizationForm.FormC));
        }
        return normalized.ToString();
    }

    // string.Normalize rejects lone surrogates; UTF-8 encoding would turn them into U+FFFD anyway.
    static string WithoutLoneSurrogates(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
            else if (char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
        }
        return new string(chars);
    }
}
