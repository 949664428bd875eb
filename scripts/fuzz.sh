#!/usr/bin/env bash
# Runs every libFuzzer target of build/checked for SECONDS each (default 60): the committed seeds
# in fuzz/corpus/<target>/ first, then new inputs, which are kept in build/checked/corpus/<target>/.
# Targets run JOBS at a time (default: the number of cores); each is one process on one core.
# A crash leaves its input in build/checked/artifacts/ and makes this script fail.
#   scripts/fuzz.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${2:-build/checked}
jobs=${JOBS:-$(nproc)}
mkdir -p "$build/artifacts" "$build/logs"

# Fuzzes one target; its verdict goes to logs/<target>.result.
fuzz_one() {
  local target=$1 log="$build/logs/$1.log" result=ok
  mkdir -p "$build/corpus/$target" "fuzz/corpus/$target"
  # -rss_limit_mb: an input that makes the reader hold more than 1 GiB is a finding too.
  ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -malloc_limit_mb=1100 -timeout=10 -artifact_prefix="$build/artifacts/$target-" \
    "$build/corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1 || result=FAILED
  echo "$result" >"$build/logs/$target.result"
}

mapfile -t targets < <(grep -v '^$' "$build/fuzz/targets.txt")
for target in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  fuzz_one "$target" &
done
wait

status=0
for target in "${targets[@]}"; do
  log="$build/logs/$target.log"
  result=$(cat "$build/logs/$target.result")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $target: $result, ${execs:-?} executions in ${seconds} s (log: $log)"
  if [[ $result != ok ]]; then
    status=1
    tail -40 "$log"
  fi
done
exit $status
