using System.Text.Json;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;

namespace OneShotGee.Modeling.Tests.Tokenization;

/// <summary>Loads the 151k-token Qwen2.5 tokenizer once for a test class.</summary>
public sealed class QwenTokenizerFixture
{
    public static readonly string Directory = Fixtures.PathOf("tokenizers/qwen2.5");

    public ModelTokenizer Tokenizer { get; } = ModelTokenizer.FromDirectory(Directory);

    /// <summary>The (text, ids) cases of a reference file made with Hugging Face's Rust tokenizers.</summary>
    public static List<(string Text, int[] Ids)> Cases(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, file)));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))
            .ToList();
    }
}
