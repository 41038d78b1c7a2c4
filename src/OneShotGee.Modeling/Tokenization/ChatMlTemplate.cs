using System.Text;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>ChatML as Qwen's chat templates render it: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per turn.</summary>
public sealed class ChatMlTemplate(string? defaultSystemPrompt) : ChatTemplate
{
    public override string Name => "chatml";

    public override string? EndOfTurnToken => "<|im_end|>";

    /// <summary>Rendered as the system turn when the conversation has none (Qwen2.5's "You are Qwen, created by Alibaba Cloud. ...").</summary>
    public string? DefaultSystemPrompt { get; } = defaultSystemPrompt;

    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        RequireRoles(messages, Name);
        var text = new StringBuilder();
        if (DefaultSystemPrompt is not null && messages is not [{ Role: "system" }, ..])
            Turn(text, "system", DefaultSystemPrompt);
        foreach (var message in messages) Turn(text, message.Role, message.Content);
        if (addGenerationPrompt) text.Append("<|im_start|>assistant\n");
        return text.ToString();
    }

    static void Turn(StringBuilder text, string role, string content) =>
        text.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append("<|im_end|>\n");
}
