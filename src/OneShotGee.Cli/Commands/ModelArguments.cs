using System.CommandLine;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Runtime;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Cli.Commands;

/// <summary>The options every command that loads a model shares: where it is and where it runs.</summary>
public sealed class ModelArguments
{
    readonly Option<DirectoryInfo> _model = new("--model", "-m")
    {
        Description = "Hugging Face model directory (config.json, *.safetensors, tokenizer files), or a PEFT LoRA adapter "
            + "directory (adapter_config.json; its base model from base_model_name_or_path).",
        Required = true,
    };
    readonly Option<DirectoryInfo?> _baseModel = new("--base-model")
    {
        Description = "With an adapter --model: the base model directory, instead of the adapter's base_model_name_or_path.",
    };
    readonly Option<string> _device = new("--device")
    {
        Description = "auto (CUDA when available), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };
    readonly Option<string> _dtype = new("--dtype")
    {
        Description = "Runtime dtype: auto (float32 on CPU; on CUDA bfloat16, but float32 for a float32 checkpoint such as a LoRA merge), "
            + "float32, bfloat16, float16.",
        DefaultValueFactory = _ => "auto",
    };

    public void AddTo(Command command)
    {
        command.Add(_model);
        command.Add(_baseModel);
        command.Add(_device);
        command.Add(_dtype);
    }

    ModelSource Source(ParseResult parse) => ModelSource.Resolve(parse.GetValue(_model)!.FullName, parse.GetValue(_baseModel)?.FullName);

    public ModelTokenizer LoadTokenizer(ParseResult parse) => Source(parse).LoadTokenizer();

    public CausalLM LoadModel(ParseResult parse) =>
        Source(parse).Load(ComputeTarget.ParseDtype(parse.GetValue(_dtype)!), ComputeTarget.ParseDevice(parse.GetValue(_device)!));
}
