using System.Text.Json;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

/// <summary>tokenize / generate / score against the independent references in tests/fixtures.</summary>
public class ModelCommandsTests
{
    static readonly string Stories = Fixtures.PathOf("models/stories260k");
    static readonly string TinyQwen = Fixtures.PathOf("models/tiny-qwen2");

    static JsonElement StoriesCase(string prompt)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Stories, "reference.json")));
        return reference.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("prompt").GetString() == prompt).Clone();
    }

    static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];
    static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    [Fact]
    public async Task GenerateGreedyPrintsTheLlama2cContinuation()
    {
        var reference = StoriesCase("Once upon a time");

        var result = await CliRunner.RunAsync("generate", "--model", Stories, "--prompt", "Once upon a time",
            "--temperature", "0", "--max-new-tokens", "40", "--json");

        Assert.Equal(0, result.ExitCode);
        using var output = JsonDocument.Parse(result.Output);
        var root = output.RootElement;
        Assert.Equal(Ints(reference.GetProperty("prompt_ids")), Ints(root.GetProperty("prompt_ids")));
        Assert.Equal(Ints(reference.GetProperty("generated_ids")).Take(40), Ints(root.GetProperty("generated_ids")));
        Assert.StartsWith(root.GetProperty("text").GetString()!.Trim(), reference.GetProperty("generated_text").GetString()!.Trim());
        Assert.Equal("length", root.GetProperty("stop_reason").GetString());
        var expectedEntropies = Doubles(reference.GetProperty("entropy_first16_nats"));
        var entropies = Doubles(root.GetProperty("entropies"));
        for (int k = 0; k < expectedEntropies.Length; k++) Assert.Equal(expectedEntropies[k], entropies[k], 1e-4);
    }

    [Fact]
    public async Task NumReturnSequencesDecodesTheCopiesInOneBatch()
    {
        var reference = Ints(StoriesCase("Once upon a time").GetProperty("generated_ids")).Take(20);
        string[] common = ["generate", "--model", Stories, "--prompt", "Once upon a time", "--max-new-tokens", "20", "--json"];

        // Greedy: every copy in the padded batch is llama2.c's continuation.
        var greedy = await CliRunner.RunAsync([.. common, "--temperature", "0", "--num-return-sequences", "3"]);
        Assert.True(greedy.ExitCode == 0, greedy.Error);
        using (var output = JsonDocument.Parse(greedy.Output))
            Assert.All(output.RootElement.EnumerateArray(), s => Assert.Equal(reference, Ints(s.GetProperty("generated_ids"))));

        // Sampled: different continuations, the same ones again for the same seed.
        string[] sampled = [.. common, "--temperature", "1", "--num-return-sequences", "4", "--seed", "7"];
        var first = await CliRunner.RunAsync(sampled);
        var again = await CliRunner.RunAsync(sampled);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(first.Output, again.Output);
        using var samples = JsonDocument.Parse(first.Output);
        var continuations = samples.RootElement.EnumerateArray().Select(s => string.Join(',', Ints(s.GetProperty("generated_ids")))).ToList();
        Assert.Equal(4, continuations.Count);
        Assert.True(continuations.Distinct().Count() > 1, "four samples at temperature 1 were all the same");

        var none = await CliRunner.RunAsync([.. common, "--num-return-sequences", "0"]);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("--num-return-sequences", none.Error);
    }

    [Fact]
    public async Task GenerateStopsAtTheChatTemplatesEndOfTurnWhenTheEosIsAnotherToken()
    {
        const int EndOfText = 151643, ImEnd = 151645;
        using var dir = new TempDirectory();
        // A base-style tiny Qwen2 (eos <|endoftext|> everywhere, ChatML template kept) whose lm_head makes <|im_end|>
        // the greedy first token of the ChatML prompt: its row is twice that of the token the model would choose.
        var prompt = Modeling.Tokenization.PromptEncoder.For(Modeling.Tokenization.ModelTokenizer.FromDirectory(TinyQwen)).Encode("Hello");
        using (var lm = Modeling.Llama.CausalLM.FromPretrained(TinyQwen))
        using (TorchSharp.torch.no_grad())
        {
            var first = Modeling.Generation.TokenGenerator.Generate(lm, [prompt], new() { MaxNewTokens = 1 })[0].GeneratedIds[0];
            var head = lm.get_parameter("lm_head.weight")!;
            head[ImEnd].copy_(head[first] * 2);
            lm.SavePretrained(dir.Path);
        }
        File.Delete(dir.File("generation_config.json"));
        foreach (var (file, key) in new[] { ("config.json", "eos_token_id"), ("tokenizer_config.json", "eos_token") })
        {
            var source = File.Exists(dir.File(file)) ? dir.File(file) : Path.Combine(TinyQwen, file);
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(source))!;
            json[key] = key == "eos_token" ? "<|endoftext|>" : EndOfText;
            dir.Write(file, json.ToJsonString());
        }
        Assert.True(File.Exists(dir.File("tokenizer.json")), "SavePretrained copies the tokenizer");

        var result = await CliRunner.RunAsync("generate", "--model", dir.Path, "--prompt", "Hello",
            "--temperature", "0", "--max-new-tokens", "6", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var output = JsonDocument.Parse(result.Output);
        Assert.Equal(prompt, Ints(output.RootElement.GetProperty("prompt_ids")));
        Assert.Equal([ImEnd], Ints(output.RootElement.GetProperty("generated_ids")));
        Assert.Equal("eos", output.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal("", output.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task TokenizeGivesTheRunCPromptIdsWithBos()
    {
        var reference = StoriesCase("The doctor said that he");

        var result = await CliRunner.RunAsync("tokenize", "--model", Stories, "--text", "The doctor said that he", "--json");

        Assert.Equal(0, result.ExitCode);
        using var output = JsonDocument.Parse(result.Output);
        Assert.Equal(Ints(reference.GetProperty("prompt_ids")), Ints(output.RootElement.GetProperty("ids")));
    }

    [Fact]
    public async Task ScoreIdsMatchesTheFloat64QwenReference()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyQwen, "reference.json")));
        var sequence = reference.RootElement.GetProperty("sequences")[0];
        var teacherForced = sequence.GetProperty("teacher_forced");

        var result = await CliRunner.RunAsync("score", "--model", TinyQwen,
            "--ids", string.Join(',', Ints(sequence.GetProperty("ids"))), "--json");

        Assert.Equal(0, result.ExitCode);
        using var output = JsonDocument.Parse(result.Output);
        var root = output.RootElement;
        Assert.Equal(Ints(sequence.GetProperty("ids")), Ints(root.GetProperty("ids")));
        var (logprobs, expectedLogprobs) = (Doubles(root.GetProperty("token_logprobs")), Doubles(teacherForced.GetProperty("token_logprobs")));
        var (entropies, expectedEntropies) = (Doubles(root.GetProperty("entropies")), Doubles(teacherForced.GetProperty("entropies")));
        Assert.Equal(expectedLogprobs.Length, logprobs.Length);
        for (int k = 0; k < logprobs.Length; k++)
        {
            Assert.Equal(expectedLogprobs[k], logprobs[k], 1e-5);
            Assert.Equal(expectedEntropies[k], entropies[k], 1e-5);
        }
        Assert.Equal(teacherForced.GetProperty("sum_logprob").GetDouble(), root.GetProperty("sum_logprob").GetDouble(), 1e-4);
    }

    [Fact]
    public async Task ScoreTextEncodesLikeTokenize()
    {
        var tokenized = await CliRunner.RunAsync("tokenize", "--model", TinyQwen, "--text", "Hello, world!", "--json");
        var scored = await CliRunner.RunAsync("score", "--model", TinyQwen, "--text", "Hello, world!", "--json");

        using var ids = JsonDocument.Parse(tokenized.Output);
        using var score = JsonDocument.Parse(scored.Output);
        Assert.Equal([9707, 11, 1879, 0], Ints(ids.RootElement.GetProperty("ids")));
        Assert.Equal(Ints(ids.RootElement.GetProperty("ids")), Ints(score.RootElement.GetProperty("ids")));
    }

    [Theory]
    [InlineData("score", "--ids", "1,2", "--text", "both")]
    [InlineData("score", "--ids", "1,x,3")]
    [InlineData("score", "--ids", "7")]
    [InlineData("generate", "--prompt", "hi", "--top-p", "1.5", "--temperature", "1")]
    [InlineData("generate", "--prompt", "hi", "--device", "tpu")]
    public async Task BadArgumentsExitWithTwo(params string[] args)
    {
        var result = await CliRunner.RunAsync([.. args, "--model", Stories]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.Error);
    }

    [Fact]
    public async Task AMissingModelDirectoryIsNamed()
    {
        var result = await CliRunner.RunAsync("generate", "--model", "/nonexistent/model", "--prompt", "hi");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/nonexistent/model", result.Error);
    }
}
