#!/usr/bin/env bash
# Every test of Carnet, as CI runs it (the README's second command):
#   1. installs what is missing from Debian's packages (toolchains/bootstrap.sh),
#   2. dev build + all tests (unit, CLI round trips, integration on real pcscd/TLS/SQLite),
#   3. asan build (ASan + UBSan) + all tests,
#   4. aarch64 cross build of hal, crypto and firmware + their tests under qemu-user,
#   5. the fuzz build and a bounded run of every fuzz target,
#   6. clang-format check.
# Ends with one line "N passed, N failed" summing the CTest counts of every stage.
#
# Options (environment): CARNET_FUZZ_SECONDS (default 10; targets run one per core),
# CARNET_STAGES (default "dev asan aarch64 fuzz format"), CARNET_JOBS (default: number of cores).
set -uo pipefail
cd "$(dirname "$0")/.."

stages=${CARNET_STAGES:-"dev asan aarch64 fuzz format"}
jobs=${CARNET_JOBS:-$(nproc)}
fuzz_secs=${CARNET_FUZZ_SECONDS:-10}
passed=0
failed=0
start=$(date +%s)

say() { printf '\n==== %s\n' "$*"; }
need() {  # need SET...: install only what the stages need
  toolchains/bootstrap.sh "$@" || { echo "bootstrap failed" >&2; exit 1; }
}
count_ctest() {  # adds a ctest log's counts to the totals
  local line t f
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1)
  [ -n "$line" ] || { failed=$((failed + 1)); return; }
  t=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  f=$(sed -E 's/.*, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + t - f))
  failed=$((failed + f))
}
build_and_test() {  # build_and_test PRESET [CTEST ARGS...]
  local preset=$1
  shift
  say "$preset: configure and build"
  local t0=$(date +%s)
  if ! cmake --preset "$preset" >"build/$preset.configure.log" 2>&1; then
    cat "build/$preset.configure.log"; failed=$((failed + 1)); return
  fi
  if ! cmake --build --preset "$preset" -j "$jobs"; then failed=$((failed + 1)); return; fi
  echo "$preset: built in $(($(date +%s) - t0)) s"
  say "$preset: tests"
  ctest --preset "$preset" -j "$jobs" "$@" 2>&1 | tee "build/$preset.ctest.log"
  count_ctest "build/$preset.ctest.log"
}

mkdir -p build
need host
for stage in $stages; do
  case "$stage" in
    dev | asan) build_and_test "$stage" ;;
    aarch64 | armhf)
      need "cross-$stage"
      # Under qemu-user: every unit test. Excluded by label: integration, interop and CLI tests
      # (scripts or harnesses that start the host's pcscd, node or OpenSC and would run target
      # binaries outside the emulator); they run natively in the dev and asan stages.
      build_and_test "$stage" -LE 'integration|interop|cli' ;;
    fuzz)
      say "fuzz: build the libFuzzer targets"
      if cmake --preset fuzz >build/fuzz.configure.log 2>&1 &&
          cmake --build build/fuzz --target fuzzers -j "$jobs"; then
        tests/fuzz/run.sh build/fuzz "$fuzz_secs" | tee build/fuzz.run.log
        rc=${PIPESTATUS[0]}
        ok=$(grep -c ' ok$' build/fuzz.run.log)
        bad=$(grep -c ' FAILED$' build/fuzz.run.log)
        [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
        passed=$((passed + ok))
        failed=$((failed + bad))
      else
        cat build/fuzz.configure.log; failed=$((failed + 1))
      fi ;;
    format)
      say "format: clang-format --dry-run --Werror"
      if git ls-files '*.h' '*.cc' | xargs -r clang-format --dry-run --Werror; then
        passed=$((passed + 1)); echo "format: clean"
      else
        failed=$((failed + 1))
      fi ;;
    *) echo "unknown stage '$stage'" >&2; exit 2 ;;
  esac
done

say "all stages done in $(($(date +%s) - start)) s ($stages)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
