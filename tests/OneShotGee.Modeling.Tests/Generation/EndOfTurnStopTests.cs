using System.Text.Json.Nodes;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Generation;

/// <summary>
/// A base model prompted through a chat template stops at the template's end of turn, not only at its own eos:
/// Qwen2.5-Math base has eos <c>&lt;|endoftext|&gt;</c> (151643) but ChatML turns end with <c>&lt;|im_end|&gt;</c> (151645).
/// </summary>
public sealed class EndOfTurnStopTests : IDisposable
{
    const int EndOfText = 151643, ImEnd = 151645;
    static readonly string TinyQwen = Fixtures.PathOf("models/tiny-qwen2");
    readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    /// <summary>The tiny Qwen2's tokenizer as a base model's: eos <c>&lt;|endoftext|&gt;</c>, no generation_config.json, the ChatML template kept.</summary>
    ModelTokenizer BaseQwenTokenizer()
    {
        File.Copy(Path.Combine(TinyQwen, "tokenizer.json"), directory.File("tokenizer.json"));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyQwen, "tokenizer_config.json")))!;
        config["eos_token"] = "<|endoftext|>";
        directory.Write("tokenizer_config.json", config.ToJsonString());
        return ModelTokenizer.FromDirectory(directory.Path);
    }

    [Fact]
    public void ChatMlStopsAtImEndAsWellAsTheBaseEos()
    {
        var tokenizer = BaseQwenTokenizer();
        Assert.Equal([EndOfText], tokenizer.EosIds);

        var chat = PromptEncoder.For(tokenizer);
        var plain = PromptEncoder.For(tokenizer, "none");

        Assert.Equal("chatml", chat.Template.Name);
        Assert.Equal(new HashSet<int> { EndOfText, ImEnd }, chat.StopIds.ToHashSet());
        Assert.Equal(new HashSet<int> { EndOfText }, plain.StopIds.ToHashSet());
    }

    [Fact]
    public void TheFixturesGenerationConfigEosIsImEnd()
    {
        // tiny-qwen2 is an instruct-style export: generation_config.json and tokenizer_config.json both name <|im_end|>.
        var tokenizer = ModelTokenizer.FromDirectory(TinyQwen);
        Assert.Equal([ImEnd], tokenizer.EosIds);
        Assert.Equal(new HashSet<int> { ImEnd }, PromptEncoder.For(tokenizer).StopIds.ToHashSet());
    }

    [Fact]
    public void Llama3StopsAtEotIdAsWellAsTheBaseEos()
    {
        // A Llama-3-style base tokenizer: the Qwen vocabulary plus Llama 3's special tokens, eos <|end_of_text|>,
        // and a chat template with Llama 3's header markers.
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyQwen, "tokenizer.json")))!;
        string[] special = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];
        var added = json["added_tokens"]!.AsArray();
        for (var i = 0; i < special.Length; i++)
            added.Add(new JsonObject
            {
                ["id"] = 151665 + i, ["content"] = special[i], ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        directory.Write("tokenizer.json", json.ToJsonString());
        directory.Write("tokenizer_config.json", new JsonObject
        {
            ["bos_token"] = "<|begin_of_text|>",
            ["eos_token"] = "<|end_of_text|>",
            ["chat_template"] = "{{ '<|begin_of_text|>' }}{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\\n\\n' + m['content'] | trim + '<|eot_id|>' }}{% endfor %}",
        }.ToJsonString());
        var tokenizer = ModelTokenizer.FromDirectory(directory.Path);
        var encoder = PromptEncoder.For(tokenizer);

        Assert.Equal("llama3", encoder.Template.Name);
        Assert.Equal([151666], tokenizer.EosIds);
        Assert.Equal(new HashSet<int> { 151665, 151666, 151669 }, encoder.StopIds.ToHashSet()); // BOS, <|end_of_text|>, <|eot_id|>
        Assert.Equal(151665, encoder.Encode("Hi")[0]); // the template's special tokens encode as single ids
    }

    [Fact]
    public void GenerationEndsAtImEndOnlyWhenTheTemplateSaysSo()
    {
        var tokenizer = BaseQwenTokenizer();
        var chat = PromptEncoder.For(tokenizer);
        using var lm = CausalLM.FromPretrained(TinyQwen);
        var prompt = chat.Encode("Hello");
        var first = TokenGenerator.Generate(lm, [prompt], new GenerationOptions { MaxNewTokens = 1 })[0].GeneratedIds[0];
        Assert.NotEqual(ImEnd, first);
        // Make <|im_end|> the greedy choice at the first step: its output row becomes twice the chosen token's, so
        // its logit is twice the (positive) winning logit.
        using (no_grad())
        {
            var head = lm.get_parameter("lm_head.weight")!;
            head[ImEnd].copy_(head[first] * 2);
        }
        Assert.True(WinningLogit(lm, prompt) > 0);

        var options = new GenerationOptions { MaxNewTokens = 6 };
        var stopped = TokenGenerator.Generate(lm, [prompt], options with { EosTokenIds = chat.StopIds })[0];
        var baseEosOnly = TokenGenerator.Generate(lm, [prompt], options with { EosTokenIds = tokenizer.EosIds.ToHashSet() })[0];

        Assert.Equal([ImEnd], stopped.GeneratedIds);
        Assert.Equal(StopReason.Eos, stopped.StopReason);
        Assert.Empty(stopped.ContentIds);
        Assert.Equal(ImEnd, baseEosOnly.GeneratedIds[0]);
        Assert.Equal(6, baseEosOnly.GeneratedIds.Count); // runs past the end of the turn
        Assert.Equal(StopReason.Length, baseEosOnly.StopReason);
    }

    static double WinningLogit(CausalLM lm, IReadOnlyList<int> prompt)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(prompt.Select(i => (long)i).ToArray(), [1, prompt.Count]);
        return lm.call(ids, ones_like(ids), null)[0, -1].max().item<float>();
    }
}
