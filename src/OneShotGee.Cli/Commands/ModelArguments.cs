using System.CommandLine;
using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Runtime;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Cli.Commands;

/// <summary>The options every command that loads a model shares: where it is and where it runs.</summary>
public sealed class ModelArguments
{
    readonly Option<DirectoryInfo> _model = new("--model", "-m")
    {
        Description = "Hugging Face model directory (config.json, *.safetensors, tokenizer files).",
        Required = true,
    };
    readonly Option<string> _device = new("--device")
    {
        Description = "auto (CUDA when available), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };
    readonly Option<string> _dtype = new("--dtype")
    {
        Description = "Runtime dtype: auto (float32 on CPU, bfloat16 on CUDA), float32, bfloat16, float16.",
        DefaultValueFactory = _ => "auto",
    };

    public void AddTo(Command command)
    {
        command.Add(_model);
        command.Add(_device);
        command.Add(_dtype);
    }

    string ModelDirectory(ParseResult parse)
    {
        var directory = parse.GetValue(_model)!;
        if (!directory.Exists) throw new InvalidInputException($"model directory '{directory.FullName}' does not exist");
        return directory.FullName;
    }

    public ModelTokenizer LoadTokenizer(ParseResult parse) => ModelTokenizer.FromDirectory(ModelDirectory(parse));

    public CausalLM LoadModel(ParseResult parse)
    {
        var directory = ModelDirectory(parse);
        if (!File.Exists(Path.Combine(directory, "config.json")))
            throw new InvalidInputException($"model directory '{directory}' has no config.json");
        return CausalLM.FromPretrained(directory,
            ComputeTarget.ParseDtype(parse.GetValue(_dtype)!),
            ComputeTarget.ParseDevice(parse.GetValue(_device)!));
    }
}
