using OneShotGee.DecodeBench;

// Decoding measurements that BenchmarkDotNet does not fit: a rate comparable to llama2.c run.c's "achieved tok/s",
// libtorch calls per decoded token, and the export of a Hugging Face Llama checkpoint to run.c's format.
// See bench/llama2c/compare.sh and docs/benchmarks.md.
return args switch
{
    ["rate", var model, var batch, var steps, var mode] => DecodeRate.Run(model, int.Parse(batch), int.Parse(steps), mode == "sample", true),
    ["rate", var model, var batch, var steps, var mode, "modules"] => DecodeRate.Run(model, int.Parse(batch), int.Parse(steps), mode == "sample", false),
    ["count", var model] => DispatchCount.Run(model),
    ["export-llama2c", var model, var checkpoint, var tokenizer] => Llama2cExport.Run(model, checkpoint, tokenizer),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: OneShotGee.DecodeBench rate MODEL_DIR BATCH STEPS greedy|sample [modules]
               OneShotGee.DecodeBench count MODEL_DIR
               OneShotGee.DecodeBench export-llama2c MODEL_DIR OUT.bin OUT_tokenizer.bin
        """);
    return 2;
}
