using System.CommandLine;
using OneShotGee.Core;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Runtime;
using static TorchSharp.torch;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee merge</c>: folds a PEFT LoRA adapter into its base and writes a plain Hugging Face model.</summary>
public static class MergeCommand
{
    public static Command Create(CliConsole console)
    {
        var adapter = new Option<DirectoryInfo>("--adapter") { Description = "PEFT LoRA adapter directory (adapter_config.json).", Required = true };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Directory to write the merged model to.", Required = true };
        var dtype = new Option<string>("--dtype")
        {
            Description = "Stored dtype: float32 (default; keeps an update smaller than the base's rounding step), bfloat16 or float16 (lossy).",
            DefaultValueFactory = _ => "float32",
        };
        var baseModel = new Option<DirectoryInfo?>("--base-model") { Description = "The base model directory, instead of the adapter's base_model_name_or_path." };
        var command = new Command("merge", "Merge a LoRA adapter into its base model (W + (alpha/r)·B·A, computed in float32) and save it as a Hugging Face model.")
        {
            adapter, output, dtype, baseModel,
        };
        command.SetAction((parse, _) => console.RunAsync(() =>
        {
            var storage = parse.GetValue(dtype) is "float32" or "bfloat16" or "float16" ? ComputeTarget.ParseDtype(parse.GetValue(dtype)!)!.Value
                : throw new InvalidInputException($"--dtype must be float32, bfloat16 or float16, got '{parse.GetValue(dtype)}'");
            var source = ModelSource.Resolve(parse.GetValue(adapter)!.FullName, parse.GetValue(baseModel)?.FullName).Validated();
            if (!source.IsAdapter) throw new InvalidInputException($"--adapter '{source.Path}' is not a LoRA adapter directory (no adapter_config.json)");
            // The base loads in its stored dtype, so its weights enter the float32 merge unrounded.
            using var lm = source.Load(source.StoredDtype(), CPU);
            var target = parse.GetValue(output)!.FullName;
            LoraAdapter.SaveMerged(lm, target, storage);
            console.Output.WriteLine($"merged model ({parse.GetValue(dtype)}) -> {target}");
            return Task.CompletedTask;
        }));
        return command;
    }
}
