namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// Turns a user prompt into model input ids: rendered through the chat template when there is one, otherwise the
/// plain text with the model's default special tokens (BOS for Llama 2-style SentencePiece models, none for Qwen).
/// </summary>
public sealed class PromptEncoder(ModelTokenizer tokenizer, ChatTemplate template)
{
    public ModelTokenizer Tokenizer { get; } = tokenizer;
    public ChatTemplate Template { get; } = template;

    /// <param name="templateName">auto (from tokenizer_config.json), none, chatml, llama3 or llama2.</param>
    public static PromptEncoder For(ModelTokenizer tokenizer, string templateName = "auto") =>
        new(tokenizer, ChatTemplate.Resolve(templateName, tokenizer.ChatTemplateText));

    public IReadOnlyList<int> Encode(string prompt) => Template is PlainChatTemplate
        ? Tokenizer.Encode(prompt)
        : Tokenizer.Encode(Template.Render([ChatMessage.User(prompt)], addGenerationPrompt: true), addSpecialTokens: false);
}
