namespace OneShotGee.Training.DemoModel;

/// <summary>Pretraining has finished optimizer step <paramref name="Step"/> of <paramref name="Steps"/> with this batch loss.</summary>
public sealed record PretrainProgress(int Step, int Steps, double Loss);
