#!/usr/bin/env bash
# Does TorchSharp's native library resolve against a given libtorch? Lists every library it needs that the dynamic
# loader cannot find (ldd with LD_LIBRARY_PATH=LIB_DIR, so RPATHs and system paths count as they will at run time)
# and every undefined symbol (nm -D, type U) that no library of that closure defines. A symbol whose version need is
# weak (readelf -V; the GLIBCXX_3.4.32 marker that build/TorchSharpNative.targets marks weak) is tolerated, as the
# loader tolerates it. Exit 0 when nothing is missing, 1 otherwise; the report goes to stdout.
# usage: check-symbols.sh LIBLIBTORCHSHARP LIB_DIR
set -euo pipefail

if [ $# -ne 2 ] || [ ! -f "$1" ] || [ ! -d "$2" ]; then
  echo "usage: $0 path/to/libLibTorchSharp.so LIB_DIR (a libtorch lib directory, e.g. torch/lib of a PyTorch install)" >&2
  exit 2
fi
library=$1 lib_dir=$(cd "$2" && pwd)
for tool in ldd nm readelf; do
  command -v "$tool" >/dev/null || { echo "'$tool' is not on PATH (ldd: libc-bin; nm, readelf: binutils)" >&2; exit 2; }
done

closure=$(LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$library" 2>/dev/null)
missing_libraries=$(awk '$2 == "=>" && $3 == "not" { print $1 }' <<<"$closure")
found_libraries=$(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$closure")

weak_versions=$(readelf -V --wide "$library" | awk '/Name:/ && /Flags: WEAK/ { for (i = 1; i <= NF; i++) if ($i == "Name:") print $(i + 1) }')
# nm -D prints "U name@VERSION" for undefined symbols; drop the weak-version ones, then compare bare names.
needed=$(nm -D --undefined-only "$library" | awk -v weak="$weak_versions" '
  BEGIN { n = split(weak, w, "\n"); for (i = 1; i <= n; i++) if (w[i] != "") skip[w[i]] = 1 }
  $1 == "U" { split($2, part, "@"); if (!(part[2] in skip)) print part[1] }' | sort -u)
defined=$(for lib in $found_libraries; do nm -D --defined-only "$lib" 2>/dev/null; done \
  | awk 'NF == 3 { split($3, part, "@"); print part[1] }' | sort -u)
missing_symbols=$(comm -23 <(echo "$needed") <(echo "$defined") | sed '/^$/d')

echo "libtorch directory: $lib_dir"
echo "checked: $(echo "$needed" | sed '/^$/d' | wc -l) undefined symbols of $library against $(echo "$found_libraries" | sed '/^$/d' | wc -l) libraries"
for lib in $missing_libraries; do echo "missing library: $lib"; done
if [ -n "$missing_symbols" ]; then
  demangle=cat; command -v c++filt >/dev/null && demangle=c++filt
  paste -d' ' <(echo "$missing_symbols") <(echo "$missing_symbols" | $demangle | sed 's/^/= /') | sed 's/^/missing symbol: /'
fi
count_libraries=$(echo "$missing_libraries" | sed '/^$/d' | wc -l)
count_symbols=$(echo "$missing_symbols" | sed '/^$/d' | wc -l)
echo "missing: $count_libraries libraries, $count_symbols symbols"
[ "$count_libraries" -eq 0 ] && [ "$count_symbols" -eq 0 ]
