using OneShotGee.Core;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>No chat format (base models): the prompt is the user's text as it is.</summary>
public sealed class PlainChatTemplate : ChatTemplate
{
    public override string Name => "none";

    public override string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) =>
        messages is [{ Role: "user" } only] ? only.Content
        : throw new InvalidInputException("the 'none' chat template takes exactly one user message; pick a chat template for conversations");
}
