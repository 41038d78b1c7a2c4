using OneShotGee.Core;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Modeling.Tests.Tokenization;

public sealed class ChatTemplateTests
{
    static readonly ChatMessage[] Conversation =
        [ChatMessage.System("Be brief."), ChatMessage.User(" Hi "), ChatMessage.Assistant("Hello."), ChatMessage.User("Bye")];

    [Fact]
    public void Llama3_renders_headers_and_trimmed_content() => Assert.Equal(
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
        + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
        + "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>"
        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
        ChatTemplate.Resolve("llama3", null).Render(Conversation, addGenerationPrompt: true));

    [Fact]
    public void Llama2_wraps_the_system_message_into_the_first_instruction() => Assert.Equal(
        "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n Hi [/INST] Hello. </s><s>[INST] Bye [/INST]",
        ChatTemplate.Resolve("llama2", null).Render(Conversation, addGenerationPrompt: true));

    [Fact]
    public void Llama2_requires_alternating_roles() => Assert.Throws<InvalidInputException>(() =>
        ChatTemplate.Resolve("llama2", null).Render([ChatMessage.User("a"), ChatMessage.User("b")], true));

    [Fact]
    public void ChatMl_without_a_default_system_prompt_renders_only_the_given_turns() => Assert.Equal(
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        ChatTemplate.Resolve("chatml", null).Render([ChatMessage.User("Hi")], addGenerationPrompt: true));

    [Fact]
    public void ChatMl_takes_the_default_system_prompt_from_the_template_text()
    {
        const string qwen2Template = "{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}";
        var template = Assert.IsType<ChatMlTemplate>(ChatTemplate.Resolve("auto", qwen2Template));
        Assert.Equal("You are a helpful assistant.", template.DefaultSystemPrompt);
        Assert.Equal("<|im_start|>system\nMine<|im_end|>\n",
            template.Render([ChatMessage.System("Mine")], addGenerationPrompt: false));
    }

    [Theory]
    [InlineData("{{ '<|start_header_id|>' + message['role'] }}", "llama3")]
    [InlineData("{{ bos_token + '[INST] ' + content }}", "llama2")]
    [InlineData("{{ '<|im_start|>' + message['role'] }}", "chatml")]
    [InlineData(null, "none")]
    public void Auto_detects_the_format_from_its_markers(string? templateText, string expected) =>
        Assert.Equal(expected, ChatTemplate.Resolve("auto", templateText).Name);

    [Fact]
    public void An_unknown_template_text_is_an_error_unless_none_is_chosen()
    {
        const string unknown = "{{ '<start_of_turn>user\\n' }}";
        Assert.Throws<InvalidInputException>(() => ChatTemplate.Resolve("auto", unknown));
        Assert.Equal("plain text", ChatTemplate.Resolve("none", unknown).Render([ChatMessage.User("plain text")], true));
    }

    [Fact]
    public void An_unknown_template_name_is_an_error()
    {
        var error = Assert.Throws<InvalidInputException>(() => ChatTemplate.Resolve("gemma", null));
        Assert.Contains("gemma", error.Message);
    }
}
