#!/usr/bin/env bash
# One GEE run of 5 steps on the tiny Qwen2 fixture (152k vocabulary): LoRA r8, effective batch 4 in micro-batches of 2,
# 8 new tokens, bfloat16 on the CPU, one thread. Prints the medians of steps 2–5 from metrics.jsonl and the peak
# resident memory. Extra arguments go to `oneshotgee train` (e.g. --generation-batch-size 2).
# Usage: bench/gee-step-152k.sh [train options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1
dotnet build -c Release "$root/src/OneShotGee.Cli" -v q -nologo >/dev/null
cli=$root/src/OneShotGee.Cli/bin/Release/net10.0/oneshotgee
"$cli" prepare --synthetic 64 -o "$work/data.parquet" >/dev/null
"$cli" train --model "$root/tests/fixtures/models/tiny-qwen2" --data "$work/data.parquet" --out "$work/out" \
  --lora-rank 8 --effective-batch 4 --micro-batch 2 --max-new-tokens 8 --dtype bfloat16 --device cpu \
  --max-steps 5 --save-steps 100 "$@" >/dev/null
python3 - "$work/out/metrics.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
later = rows[1:5]
median = lambda key: statistics.median(r[key] for r in later)
print(f"generated tok/s {median('tokens_per_second'):.1f} (median of steps 2-5); step {median('step_seconds'):.3f} s, "
      f"sampling {median('sampling_seconds'):.3f} s, forward+backward {median('forward_backward_seconds'):.3f} s; "
      f"peak resident {max(r['peak_memory_bytes'] for r in rows) / 2**20:.0f} MiB")
PY
