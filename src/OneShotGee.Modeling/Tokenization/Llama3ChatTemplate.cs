using System.Text;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>Meta Llama 3 Instruct's chat format (its template trims each message's content).</summary>
public sealed class Llama3ChatTemplate : ChatTemplate
{
    public override string Name => "llama3";

    public override string? EndOfTurnToken => "<|eot_id|>";

    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        RequireRoles(messages, Name);
        var text = new StringBuilder("<|begin_of_text|>");
        foreach (var message in messages)
            Header(text, message.Role).Append(message.Content.Trim()).Append("<|eot_id|>");
        if (addGenerationPrompt) Header(text, "assistant");
        return text.ToString();
    }

    static StringBuilder Header(StringBuilder text, string role) =>
        text.Append("<|start_header_id|>").Append(role).Append("<|end_header_id|>\n\n");
}
