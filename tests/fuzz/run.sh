#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time, starting from its seed corpus
# (a copy: the committed corpus is not changed). Prints executions per target.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET]
set -euo pipefail
build=${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET]}
secs=${2:-30}
list="$build/fuzz_targets.txt"
[ -s "$list" ] || { echo "fuzz: no fuzz targets listed in $list" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
ran=0
printf '%-22s %12s %10s %s\n' target executions exec/s result
while IFS='=' read -r name corpus; do
  [ -n "$name" ] || continue
  bin="$build/bin/$name"
  [ -x "$bin" ] || { echo "fuzz: $bin was not built" >&2; failed=$((failed + 1)); continue; }
  mkdir -p "$work/$name"
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work/$name"/ 2>/dev/null || true
  log="$work/$name.log"
  if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "$work/$name" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    failed=$((failed + 1))
    tail -n 40 "$log" >&2
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  printf '%-22s %12s %10s %s\n' "$name" "$runs" "$((runs / secs))" "$result"
  ran=$((ran + 1))
done <"$list"
echo "fuzz: $ran target(s) run for ${secs}s each, $failed failed"
[ "$failed" -eq 0 ]
