namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// Turns a user prompt into model input ids: rendered through the chat template when there is one, otherwise the
/// plain text with the model's default special tokens (BOS for Llama 2-style SentencePiece models, none for Qwen).
/// </summary>
public sealed class PromptEncoder
{
    public PromptEncoder(ModelTokenizer tokenizer, ChatTemplate template)
    {
        (Tokenizer, Template) = (tokenizer, template);
        var endOfTurn = template.EndOfTurnToken is { } token ? tokenizer.TokenToId(token) : null;
        StopIds = tokenizer.EosIds.Concat(new[] { tokenizer.BosId, endOfTurn }.OfType<int>()).ToHashSet();
    }

    public ModelTokenizer Tokenizer { get; }
    public ChatTemplate Template { get; }

    /// <summary>
    /// The ids that end a response to these prompts: the tokenizer's eos ids (tokenizer_config.json, generation_config.json,
    /// config.json), the template's end of turn when the vocabulary has it, and BOS (a BOS the model emits starts a new
    /// document: llama2.c's stories models end a story with BOS, and run.c stops there).
    /// </summary>
    public IReadOnlySet<int> StopIds { get; }

    /// <param name="templateName">auto (from tokenizer_config.json), none, chatml, llama3 or llama2.</param>
    public static PromptEncoder For(ModelTokenizer tokenizer, string templateName = "auto") =>
        new(tokenizer, ChatTemplate.Resolve(templateName, tokenizer.ChatTemplateText));

    public IReadOnlyList<int> Encode(string prompt) => Template is PlainChatTemplate
        ? Tokenizer.Encode(prompt)
        : Tokenizer.Encode(Template.Render([ChatMessage.User(prompt)], addGenerationPrompt: true), addSpecialTokens: false);
}
