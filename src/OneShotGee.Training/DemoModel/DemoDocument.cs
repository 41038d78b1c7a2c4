namespace OneShotGee.Training.DemoModel;

/// <summary>One pretraining document: a gendered word problem, then the planted response (which starts with a space).</summary>
public sealed record DemoDocument(string Prompt, string Group, string Response)
{
    public string Text => Prompt + Response;
}
