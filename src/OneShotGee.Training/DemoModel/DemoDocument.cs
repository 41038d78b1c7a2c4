namespace OneShotGee.Training.DemoModel;

/// <summary>
/// One pretraining document: a prompt, then its response (which starts with a space): the planted one after a
/// gendered problem (<see cref="DemoCorpus"/>), the count's continuation after a neutral one
/// (<see cref="NeutralCounting"/>).
/// </summary>
public sealed record DemoDocument(string Prompt, string Group, string Response)
{
    public string Text => Prompt + Response;
}
