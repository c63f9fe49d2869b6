#!/usr/bin/env bash
# Builds every libFuzzer target with clang under ASan and UBSan and runs each
# for a bounded time, starting from its committed seed corpus.
#   tests/fuzz/run.sh [SECONDS_PER_TARGET [NAME...]]
# SECONDS_PER_TARGET defaults to $FUZZ_SECONDS, else 30; NAMEs (e.g. utf8)
# restrict the run to those targets.
# New interesting inputs go to build/fuzz/corpus/<name>/ (not to the committed
# corpus); a crashing input is saved as build/fuzz/artifacts/<name>/crash-*.
# Exits non-zero if any target crashed, leaked or failed to build.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-${FUZZ_SECONDS:-30}}
shift $(($# > 0 ? 1 : 0))
build=build/fuzz
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DLEAD_FUZZ=ON \
  -DLEAD_BUILD_SHARED=OFF -DLEAD_BUILD_BENCH=OFF -DLEAD_BUILD_EXAMPLES=OFF \
  "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link $san" >/dev/null

targets=()
if [ $# -gt 0 ]; then
  for name in "$@"; do
    [ -f "tests/fuzz/fuzz_$name.c" ] || { echo "fuzz: no target $name" >&2; exit 2; }
    targets+=("fuzz_$name")
  done
else
  for src in tests/fuzz/fuzz_*.c; do
    targets+=("$(basename "$src" .c)")
  done
fi
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for target in "${targets[@]}"; do
  name=${target#fuzz_}
  mkdir -p "$build/corpus/$name" "$build/artifacts/$name"
  echo "fuzz: $target for ${seconds}s"
  if ! "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$name/" \
      "$build/corpus/$name" "tests/fuzz/corpus/$name" 2>"$build/$target.log"; then
    tail -n 40 "$build/$target.log" >&2
    failed+=("$target")
  else
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$build/$target.log" |
      sed "s/^/fuzz: $target /"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s each without a finding"
