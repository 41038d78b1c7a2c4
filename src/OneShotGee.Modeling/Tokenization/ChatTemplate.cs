using System.Text.RegularExpressions;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// A conversation format rendered in C#: the library does not run Jinja. The rendered text carries its special
/// tokens (BOS included) as text, so encode it with <c>addSpecialTokens: false</c>.
/// </summary>
public abstract partial class ChatTemplate
{
    public static readonly IReadOnlyList<string> Names = ["auto", "none", "chatml", "llama3", "llama2"];

    /// <summary>The template's name as accepted by <see cref="Resolve"/>.</summary>
    public abstract string Name { get; }

    public abstract string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt);

    /// <summary>
    /// The special token that closes a turn (<c>&lt;|im_end|&gt;</c>, <c>&lt;|eot_id|&gt;</c>), or null. A base model
    /// whose eos is another token (Qwen2.5-Math base: <c>&lt;|endoftext|&gt;</c>) must still stop there, or it writes
    /// the next turns itself.
    /// </summary>
    public virtual string? EndOfTurnToken => null;

    /// <summary>
    /// Chooses a template by name; "auto" detects it from tokenizer_config.json's chat_template by its markers
    /// (<c>&lt;|im_start|&gt;</c>, <c>&lt;|start_header_id|&gt;</c>, <c>[INST]</c>), and no chat_template means none.
    /// </summary>
    public static ChatTemplate Resolve(string name, string? chatTemplateText) => name switch
    {
        "auto" => Detect(chatTemplateText),
        "none" => new PlainChatTemplate(),
        "chatml" => new ChatMlTemplate(DefaultSystemPrompt(chatTemplateText)),
        "llama3" => new Llama3ChatTemplate(),
        "llama2" => new Llama2ChatTemplate(),
        _ => throw new InvalidInputException($"chat template '{name}' is unknown; expected one of {string.Join(", ", Names)}"),
    };

    static ChatTemplate Detect(string? text) =>
        string.IsNullOrWhiteSpace(text) ? new PlainChatTemplate()
        : text.Contains("<|im_start|>") ? new ChatMlTemplate(DefaultSystemPrompt(text))
        : text.Contains("<|start_header_id|>") ? new Llama3ChatTemplate()
        : text.Contains("[INST]") ? new Llama2ChatTemplate()
        : throw new InvalidInputException(
            "the chat_template of tokenizer_config.json is not one of chatml, llama3, llama2; choose one by name, or none");

    // A literal system turn in the template, e.g. Qwen2.5's '<|im_start|>system\nYou are Qwen, ...<|im_end|>\n',
    // is what it renders when the conversation brings no system message.
    static string? DefaultSystemPrompt(string? text) =>
        text is not null && LiteralSystemTurn().Match(text) is { Success: true } match ? match.Groups["prompt"].Value : null;

    [GeneratedRegex(@"<\|im_start\|>system\\n(?<prompt>[^'""<]+)<\|im_end\|>")]
    private static partial Regex LiteralSystemTurn();

    protected static void RequireRoles(IReadOnlyList<ChatMessage> messages, string template)
    {
        foreach (var message in messages)
            if (message.Role is not ("system" or "user" or "assistant"))
                throw new InvalidInputException($"chat role '{message.Role}' is not supported by the {template} template (system, user, assistant)");
    }
}
