using System.Text.Json;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;

namespace OneShotGee.Modeling.Tests.Tokenization;

public class PromptEncoderTests(QwenTokenizerFixture fixture) : IClassFixture<QwenTokenizerFixture>
{
    [Fact]
    public void AChatModelPromptIsTheRenderedChatMLConversation()
    {
        using var reference = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(QwenTokenizerFixture.Directory, "chat_reference.json")));
        var single = reference.RootElement.GetProperty("qwen2_5").EnumerateArray().First(c =>
            c.GetProperty("messages").GetArrayLength() == 1 && c.GetProperty("add_generation_prompt").GetBoolean());
        string prompt = single.GetProperty("messages")[0].GetProperty("content").GetString()!;

        var ids = PromptEncoder.For(fixture.Tokenizer).Encode(prompt);

        Assert.Equal(single.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()), ids);
    }

    [Fact]
    public void ABaseModelPromptIsThePlainTextWithTheModelsBos()
    {
        var stories = ModelTokenizer.FromDirectory(Fixtures.PathOf("models/stories260k"));

        var encoder = PromptEncoder.For(stories);

        Assert.Equal("none", encoder.Template.Name);
        Assert.Equal(stories.Encode("Once upon a time"), encoder.Encode("Once upon a time"));
        Assert.Equal(1, encoder.Encode("Once upon a time")[0]);
    }

    [Fact]
    public void ChoosingNoTemplateForAChatModelSkipsTheConversationFormat()
    {
        var ids = PromptEncoder.For(fixture.Tokenizer, "none").Encode("Hello, world!");

        Assert.Equal([9707, 11, 1879, 0], ids);
    }
}
