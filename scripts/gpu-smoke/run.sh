#!/usr/bin/env bash
# OneShotGee GPU smoke test (docs/deploy.md, "The GPU smoke kit"). The CLI in bin/ is a self-contained linux-x64
# publish without libtorch: it loads the libtorch of an installed PyTorch through LD_LIBRARY_PATH.
#   ./run.sh                  symbol check, then the smoke test on cuda (smoke.py); one JSON summary on stdout
#   ./run.sh --check-only     symbol check, then one CPU score through that libtorch (no GPU needed)
# Options: --lib-dir DIR (default: torch/lib of `$PYTHON -c 'import torch'`), --device DEV (default cuda),
#          --out DIR (work directory, default ./smoke-out), --python PY (default python3).
# Exit 0 when every check passed.
set -euo pipefail
kit=$(cd "$(dirname "$0")" && pwd)
lib_dir="" device=cuda out="$PWD/smoke-out" check_only=0 python=${PYTHON:-python3}
while [ $# -gt 0 ]; do
  case "$1" in
    --lib-dir) lib_dir=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --check-only) check_only=1; shift ;;
    *) echo "unknown option '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done

if [ -z "$lib_dir" ]; then
  lib_dir=$("$python" -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))') \
    || { echo "'$python' cannot import torch; install PyTorch $(sed -n 's/.*"libtorch": "\([^"]*\)".*/\1/p' "$kit/kit.json") or pass --lib-dir" >&2; exit 2; }
fi
export LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Without ICU the .NET runtime refuses to start; the CLI formats with the invariant culture anyway.
if ! ldconfig -p 2>/dev/null | grep -q libicuuc; then export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; fi

report=$("$kit/check-symbols.sh" "$kit/bin/libLibTorchSharp.so" "$lib_dir") && symbols_ok=1 || symbols_ok=0
echo "$report" >&2
if [ "$symbols_ok" -eq 0 ]; then
  missing=$(grep -c '^missing \(library\|symbol\):' <<<"$report" || true)
  printf '{"symbol_check": {"missing": %d, "ok": false}, "ok": false}\n' "$missing"
  exit 1
fi

if [ "$check_only" -eq 1 ]; then
  if "$kit/bin/oneshotgee" score --model "$kit/models/stories260k" --ids 1,403,407 --device cpu --json >&2; then
    printf '{"symbol_check": {"missing": 0, "ok": true}, "cpu_load": {"ok": true}, "ok": true}\n'
    exit 0
  fi
  printf '{"symbol_check": {"missing": 0, "ok": true}, "cpu_load": {"ok": false}, "ok": false}\n'
  exit 1
fi
exec "$python" "$kit/smoke.py" --kit "$kit" --device "$device" --out "$out" --lib-dir "$lib_dir"
