#!/usr/bin/env bash
# Runs every libFuzzer target of build/checked for SECONDS each (default 60): the committed seeds
# in fuzz/corpus/<target>/ first, then new inputs, which are kept in build/checked/corpus/<target>/.
# A crash leaves its input in build/checked/artifacts/ and makes this script fail.
#   scripts/fuzz.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${2:-build/checked}
mkdir -p "$build/artifacts" "$build/logs"
status=0
while read -r target; do
  [[ -n $target ]] || continue
  mkdir -p "$build/corpus/$target" "fuzz/corpus/$target"
  log="$build/logs/$target.log"
  # -rss_limit_mb: an input that makes the reader hold more than 1 GiB is a finding too.
  if ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
      -rss_limit_mb=2048 -malloc_limit_mb=1100 -timeout=10 -artifact_prefix="$build/artifacts/$target-" \
      "$build/corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $target: $result, ${execs:-?} executions in ${seconds} s (log: $log)"
  [[ $result == ok ]] || tail -40 "$log"
done <"$build/fuzz/targets.txt"
exit $status
