using System.Text;
using System.Text.Json;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Modeling.Tests.Tokenization;

public sealed class QwenTokenizerTests(QwenTokenizerFixture fixture) : IClassFixture<QwenTokenizerFixture>
{
    readonly ModelTokenizer _tokenizer = fixture.Tokenizer;

    [Theory]
    [InlineData("reference.json")]
    [InlineData("stress.json")]
    public void Ids_equal_hugging_face_tokenizers(string file)
    {
        var cases = QwenTokenizerFixture.Cases(file);
        var wrong = cases.Where(c => !_tokenizer.Encode(c.Text, addSpecialTokens: false).SequenceEqual(c.Ids)).ToList();

        Assert.True(wrong.Count == 0, $"{wrong.Count}/{cases.Count} differ, first: {JsonSerializer.Serialize(wrong.FirstOrDefault().Text)}");
    }

    [Fact]
    public void Stress_set_contains_characters_outside_the_BMP() =>
        Assert.True(QwenTokenizerFixture.Cases("stress.json").Count(c => c.Text.Any(char.IsSurrogate)) > 1000);

    [Fact]
    public void Decoding_the_reference_ids_gives_back_the_normalized_text()
    {
        foreach (var (text, ids) in QwenTokenizerFixture.Cases("reference.json").Concat(QwenTokenizerFixture.Cases("stress.json")))
            Assert.Equal(text.Normalize(NormalizationForm.FormC), _tokenizer.Decode(ids));
    }

    [Fact]
    public void Chat_conversations_render_and_encode_as_the_jinja_template_does()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(QwenTokenizerFixture.Directory, "chat_reference.json")));
        var template = ChatTemplate.Resolve("auto", _tokenizer.ChatTemplateText);
        Assert.IsType<ChatMlTemplate>(template);

        var conversations = document.RootElement.GetProperty("qwen2_5").EnumerateArray().ToList();
        Assert.Equal(3, conversations.Count);
        foreach (var conversation in conversations)
        {
            var messages = conversation.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
            var rendered = template.Render(messages, conversation.GetProperty("add_generation_prompt").GetBoolean());

            Assert.Equal(conversation.GetProperty("rendered").GetString(), rendered);
            Assert.Equal(conversation.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()), _tokenizer.Encode(rendered, addSpecialTokens: false));
        }
    }

    [Fact]
    public void Special_ids_come_from_tokenizer_config()
    {
        Assert.Null(_tokenizer.BosId);
        Assert.Equal([151645], _tokenizer.EosIds); // eos_token <|im_end|>; the fixture has no generation_config.json
        Assert.Equal(151643, _tokenizer.PadId);    // pad_token <|endoftext|>
        Assert.Equal(151643 + 22, _tokenizer.VocabSize); // 151,643 BPE tokens + 22 added tokens
        Assert.Equal(1879, _tokenizer.TokenToId("Ġworld"));
        Assert.Equal(151644, _tokenizer.TokenToId("<|im_start|>"));
    }

    [Fact]
    public void Qwen_adds_no_special_tokens_by_default() =>
        Assert.Equal([9707, 11, 1879, 0], _tokenizer.Encode("Hello, world!"));

    [Fact]
    public void Decode_can_skip_special_tokens()
    {
        int[] ids = [151644, 872, 198, 9707, 151645];
        Assert.Equal("<|im_start|>user\nHello<|im_end|>", _tokenizer.Decode(ids));
        Assert.Equal("user\nHello", _tokenizer.Decode(ids, skipSpecialTokens: true));
    }
}
