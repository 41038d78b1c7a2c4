using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.DecodeBench;

/// <summary>
/// Writes a Hugging Face Llama checkpoint in llama2.c's run.c format (export.py legacy_export, version 0): a header of
/// seven int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size — negative when the head is not tied —,
/// seq_len), then float32 weights grouped by kind across layers, the unused RoPE tables, and the head when untied.
/// q/k rows go back from HF's rotate_half layout to llama2.c's interleaved pairs (the inverse of HF's conversion
/// permute). The tokenizer file holds placeholder pieces "t{id}": enough for a BOS-only prompt and timing.
/// </summary>
static class Llama2cExport
{
    public static int Run(string modelDir, string checkpointPath, string tokenizerPath)
    {
        using var lm = CausalLM.FromPretrained(modelDir, ScalarType.Float32);
        var c = lm.Config;
        var p = lm.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter);
        var layers = Enumerable.Range(0, c.NumHiddenLayers).Select(i => $"model.layers.{i}.").ToList();
        using var file = new BinaryWriter(File.Create(checkpointPath));
        var untied = lm.lm_head is not null;
        foreach (var v in new[] { c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads,
                     untied ? -c.VocabSize : c.VocabSize, c.MaxPositionEmbeddings })
            file.Write(v);
        void Write(Tensor t) { foreach (var x in t.contiguous().data<float>()) file.Write(x); }
        void Each(string suffix, Func<Tensor, Tensor>? map = null) { foreach (var l in layers) Write(map is null ? p[l + suffix] : map(p[l + suffix])); }

        Write(p["model.embed_tokens.weight"]);
        Each("input_layernorm.weight");
        Each("self_attn.q_proj.weight", w => Interleave(w, c.NumAttentionHeads));
        Each("self_attn.k_proj.weight", w => Interleave(w, c.NumKeyValueHeads));
        Each("self_attn.v_proj.weight");
        Each("self_attn.o_proj.weight");
        Each("post_attention_layernorm.weight");
        Each("mlp.gate_proj.weight");
        Each("mlp.down_proj.weight");
        Each("mlp.up_proj.weight");
        Write(p["model.norm.weight"]);
        Write(zeros(c.MaxPositionEmbeddings * c.HeadDim)); // freq_cis_real and _imag, skipped by run.c
        if (untied) Write(p["lm_head.weight"]);

        using var tok = new BinaryWriter(File.Create(tokenizerPath));
        var pieces = Enumerable.Range(0, c.VocabSize).Select(i => System.Text.Encoding.UTF8.GetBytes($"t{i}")).ToList();
        tok.Write(pieces.Max(b => b.Length));
        foreach (var piece in pieces) { tok.Write(0f); tok.Write(piece.Length); tok.Write(piece); }
        Console.WriteLine($"wrote {checkpointPath} and {tokenizerPath}");
        return 0;
    }

    // HF: w.view(h, d/2, 2, in).transpose(1, 2); inverse: view(h, 2, d/2, in).transpose(1, 2).
    static Tensor Interleave(Tensor w, int heads) =>
        w.view(heads, 2, w.shape[0] / heads / 2, w.shape[1]).transpose(1, 2).reshape(w.shape[0], w.shape[1]);
}
