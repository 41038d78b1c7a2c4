#!/usr/bin/env bash
# Reruns the frontier of docs/experiments.md: EM, GEE and GEE + KL anchor over λ × β × learning rate, 5 seeds, on the
# demo model and stories260k, and writes out/experiments/<part>/results.jsonl and the summary of all parts
# (summary.md, summary.json, pareto-<model>.png) to out/experiments/frontier/ (git-ignored). Runs at low priority.
# Usage: bench/experiments/run.sh [SEEDS]   (default 1,2,3,4,5)
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds="${1:-1,2,3,4,5}"
dotnet build bench/OneShotGee.Experiments -c Release -v q -nologo
run() { nice -n 10 dotnet bench/OneShotGee.Experiments/bin/Release/net10.0/OneShotGee.Experiments.dll --seeds "$seeds" "$@"; }

# 5 steps of 8 prompts: the demo's own size. EM (λ = 0) runs without the anchor.
run --models demo --lambdas 0,3,10 --kl-coefs 0,1 --lrs 3e-4,1e-3 --out out/experiments/demo
run --models stories260k --lambdas 0,3 --kl-coefs 0,1 --lrs 3e-4,1e-3 --out out/experiments/stories260k
run --from out/experiments/demo/results.jsonl,out/experiments/stories260k/results.jsonl --out out/experiments/frontier
