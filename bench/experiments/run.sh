#!/usr/bin/env bash
# Reruns the experiments of docs/experiments.md: EM only vs GEE (L2, L1) vs penalty-only on the demo model and
# stories260k, per seed, and writes out/experiments/<setting>/{results.jsonl,summary.md} (git-ignored).
# Usage: bench/experiments/run.sh [SEEDS]   (default 1,2,3,4,5,6); extra settings via EXTRA_ARGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds="${1:-1,2,3,4,5,6}"
dotnet build bench/OneShotGee.Experiments -c Release -v q -nologo
run() { dotnet bench/OneShotGee.Experiments/bin/Release/net10.0/OneShotGee.Experiments.dll --seeds "$seeds" "$@" ${EXTRA_ARGS:-}; }

# Short: the setting of tests/OneShotGee.Training.Tests/DemoModel/GeeVersusEmTests.cs.
run --steps 5 --effective-batch 8 --micro-batch 4 --lr 1e-3 --out out/experiments/short
# Longer and gentler: 20 steps of 16 prompts at lr 3e-4.
run --steps 20 --effective-batch 16 --micro-batch 4 --lr 3e-4 --out out/experiments/longer
# Gentlest: lr 1e-4, where the stories model keeps its perplexity.
run --steps 20 --effective-batch 16 --micro-batch 4 --lr 1e-4 --out out/experiments/gentle
