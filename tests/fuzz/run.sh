#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time, starting from its seed corpus
# (a copy: the committed corpus is not changed), CARNET_FUZZ_JOBS at a time (default: number
# of cores). Prints executions per target.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET]
set -euo pipefail
build=${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET]}
secs=${2:-30}
list="$build/fuzz_targets.txt"
[ -s "$list" ] || { echo "fuzz: no fuzz targets listed in $list" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=${CARNET_FUZZ_JOBS:-$(nproc)}

# One target per core at a time (each libFuzzer run is single-threaded); results are printed in
# list order once all have finished.
run_one() {  # run_one NAME CORPUS: writes $work/NAME.log and $work/NAME.rc
  local name=$1 corpus=$2 bin="$build/bin/$1" rc
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin was not built" >"$work/$name.log"; echo 1 >"$work/$name.rc"; return
  fi
  mkdir -p "$work/$name"
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work/$name"/ 2>/dev/null || true
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$work/$name" >"$work/$name.log" 2>&1 && rc=0 || rc=$?
  echo "$rc" >"$work/$name.rc"
}
names=()
while IFS='=' read -r name corpus; do
  [ -n "$name" ] || continue
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$name" "$corpus" &
  names+=("$name")
done <"$list"
wait

failed=0
ran=0
printf '%-22s %12s %10s %s\n' target executions exec/s result
for name in "${names[@]}"; do
  log="$work/$name.log"
  if [ "$(cat "$work/$name.rc")" = 0 ]; then
    result=ok
  else
    result=FAILED
    failed=$((failed + 1))
    tail -n 40 "$log" >&2
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  printf '%-22s %12s %10s %s\n' "$name" "$runs" "$((runs / secs))" "$result"
  ran=$((ran + 1))
done
echo "fuzz: $ran target(s) run for ${secs}s each, $jobs at a time, $failed failed"
[ "$failed" -eq 0 ]
