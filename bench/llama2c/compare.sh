#!/usr/bin/env bash
# Decoding speed of OneShotGee against llama2.c's run.c on the stories260k fixture, side by side in one script so that
# the load of a shared machine falls on both alike. Builds run.c (gcc -O3) from a llama2.c checkout given by path,
# exports the Hugging Face fixture to run.c's format, then runs each measurement REPEATS times, alternating, one thread:
#   greedy batch 1   ours vs run.c -t 0
#   sampled batch 32 ours (32 sequences in one generate call, temperature 1, top-p 0.9) vs run.c -t 1 -p 0.9 (one stream)
# Usage: bench/llama2c/compare.sh /path/to/llama2.c [REPEATS=3]
set -euo pipefail
llama2c=${1:?usage: compare.sh LLAMA2C_CHECKOUT [REPEATS]}
repeats=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
model=$root/tests/fixtures/models/stories260k
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1

gcc -O3 -o "$work/run" "$llama2c/run.c" -lm
dotnet build -c Release "$root/bench/OneShotGee.DecodeBench" -v q -nologo >/dev/null
bench=$root/bench/OneShotGee.DecodeBench/bin/Release/net10.0/OneShotGee.DecodeBench
"$bench" export-llama2c "$model" "$work/model.bin" "$work/tokenizer.bin" >/dev/null

# run.c prints "achieved tok/s: X" on stderr; 512 steps = the model's whole context (it stops early at a BOS).
runc() { "$work/run" "$work/model.bin" -z "$work/tokenizer.bin" -n 512 -s 1 "$@" 2>&1 >/dev/null | sed -n 's/achieved tok\/s: //p'; }
ours() { "$bench" rate "$model" "$@" | sed -n 's/.*: \([0-9.]*\) tok\/s.*/\1/p'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for i in $(seq "$repeats"); do
  echo "greedy ours $(ours 1 400 greedy)"
  echo "greedy runc $(runc -t 0)"
  echo "sample ours $(ours 32 200 sample)"
  echo "sample runc $(runc -t 1 -p 0.9)"
done | tee "$work/rates"
for mode in greedy sample; do
  o=$(grep "^$mode ours" "$work/rates" | cut -d' ' -f3 | median)
  r=$(grep "^$mode runc" "$work/rates" | cut -d' ' -f3 | median)
  echo "$mode: ours $o tok/s, run.c $r tok/s, ratio $(awk -v o="$o" -v r="$r" 'BEGIN { printf "%.2f", o / r }') (medians of $repeats)"
done
