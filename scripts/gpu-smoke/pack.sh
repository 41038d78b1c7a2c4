#!/usr/bin/env bash
# Packs the GPU smoke kit (docs/deploy.md, "The GPU smoke kit") into OUT/oneshotgee-gpu-smoke.tar.xz: the CLI as a
# self-contained linux-x64 publish built with TorchBackend=none (TorchSharp without a libtorch package, so that it
# loads an installed PyTorch's), run.sh, check-symbols.sh, smoke.py and the two model fixtures with their references.
#   scripts/gpu-smoke/pack.sh [--out DIR]                      pack (default OUT: out/gpu-smoke)
#   scripts/gpu-smoke/pack.sh --dry-run [--lib-dir DIR]        pack, unpack into OUT/dry-run and run its
#                                                              `run.sh --check-only` against the CPU libtorch that
#                                                              the build restores (or DIR)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out="$repo/out/gpu-smoke" dry_run=0 lib_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --lib-dir) lib_dir=$2; shift 2 ;;
    *) echo "unknown option '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done
max_bytes=$((60 * 1000 * 1000))
package_version() { sed -n "s/.*PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" "$repo/Directory.Packages.props"; }
torchsharp=$(package_version TorchSharp) libtorch=$(package_version libtorch-cpu-linux-x64)

mkdir -p "$out"; out=$(cd "$out" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
kit="$work/oneshotgee-gpu-smoke"

# A separate artifacts path keeps this RID-specific, libtorch-less restore out of the repository's obj/ and bin/;
# no MSBuild node reuse, so no build node outlives the script. The GCC 13 marker is made weak whatever this host's
# libstdc++ has: the kit runs elsewhere (Ubuntu 22.04's libstdc++ stops at GLIBCXX_3.4.30; README, "TorchSharp on
# older libstdc++").
echo "publishing the CLI (self-contained linux-x64, TorchBackend=none)" >&2
dotnet publish "$repo/src/OneShotGee.Cli" -c Release -r linux-x64 --self-contained -p:TorchBackend=none \
  -p:PatchTorchSharpNativeAlways=true --artifacts-path "$work/artifacts" -o "$kit/bin" -nodeReuse:false -v:q -nologo >&2
if compgen -G "$kit/bin/libtorch*.so" >/dev/null || [ -e "$kit/bin/libc10.so" ]; then
  echo "the publish contains libtorch; TorchBackend=none should have left it out" >&2; exit 1
fi

mkdir -p "$kit/models"
cp -r "$repo/tests/fixtures/models/stories260k" "$repo/tests/fixtures/models/tiny-qwen2" "$kit/models/"
cp "$repo/scripts/gpu-smoke/run.sh" "$repo/scripts/gpu-smoke/check-symbols.sh" "$repo/scripts/gpu-smoke/smoke.py" "$kit/"
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
printf '{"torchsharp": "%s", "libtorch": "%s", "commit": "%s"}\n' "$torchsharp" "$libtorch" "$commit" >"$kit/kit.json"

archive="$out/oneshotgee-gpu-smoke.tar.xz"
echo "compressing" >&2
tar -C "$work" -cf - oneshotgee-gpu-smoke | xz -6 -T0 >"$archive"
bytes=$(stat -c %s "$archive")
echo "$archive: $bytes bytes" >&2
if [ "$bytes" -ge "$max_bytes" ]; then echo "the kit is $bytes bytes, over the 60 MB it must fit in" >&2; exit 1; fi

if [ "$dry_run" -eq 1 ]; then
  if [ -z "$lib_dir" ]; then
    packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
    lib_dir="$packages/libtorch-cpu-linux-x64/$libtorch/runtimes/linux-x64/native"
  fi
  rm -rf "$out/dry-run"; mkdir -p "$out/dry-run"
  tar -C "$out/dry-run" -xJf "$archive"
  "$out/dry-run/oneshotgee-gpu-smoke/run.sh" --check-only --lib-dir "$lib_dir"
fi
