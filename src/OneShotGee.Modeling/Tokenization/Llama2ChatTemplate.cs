using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// Llama 2 Chat's format: <c>&lt;s&gt;[INST] user [/INST] assistant &lt;/s&gt;</c> per exchange, the system
/// message wrapped in <c>&lt;&lt;SYS&gt;&gt;</c> inside the first user turn. A generation prompt adds nothing:
/// the text already ends with <c>[/INST]</c>.
/// </summary>
public sealed class Llama2ChatTemplate : ChatTemplate
{
    public override string Name => "llama2";

    public override string? EndOfTurnToken => "</s>";

    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        RequireRoles(messages, Name);
        var system = messages is [{ Role: "system" } first, ..] ? first.Content : null;
        var turns = messages.Skip(system is null ? 0 : 1).ToList();
        var text = new StringBuilder();
        for (var i = 0; i < turns.Count; i++)
        {
            var expected = i % 2 == 0 ? "user" : "assistant";
            if (turns[i].Role != expected)
                throw new InvalidInputException($"llama2 chat messages must alternate user/assistant after an optional system message; message {i} is '{turns[i].Role}'");
            var content = i == 0 && system is not null ? $"<<SYS>>\n{system}\n<</SYS>>\n\n{turns[i].Content}" : turns[i].Content;
            if (expected == "user") text.Append("<s>[INST] ").Append(content.Trim()).Append(" [/INST]");
            else text.Append(' ').Append(content.Trim()).Append(" </s>");
        }
        return text.ToString();
    }
}
