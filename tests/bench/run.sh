#!/usr/bin/env bash
# Builds carnet-bench, carnet-crypto and carnet-node in Release (-O2, the release preset's
# flags) under build/bench, makes a seeded test PKI, sizes the stripped aarch64
# carnet-terminal, and prints the benchmark table (README.md). Figures only: never fails on time.
#
#   bash tests/bench/run.sh [--quick] [carnet-bench options...]    (see carnet-bench --help)
#
# The aarch64 cross build (build/bench-aarch64) is skipped with --quick (an existing one is
# used) or CARNET_BENCH_NO_AARCH64=1: the size row is then n/a.
# Environment: BENCH_JOBS (default 2) for the builds.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build/bench"
jobs="${BENCH_JOBS:-2}"
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

# The release preset's flags (CMakePresets.json). CMAKE_<LANG>_FLAGS_RELEASE is only NDEBUG, so
# the build is -O2 as the preset says (CMake's Release default would append -O3).
cmake -S "$root" -B "$build" -G Ninja "${launcher[@]}" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_COMPILER=gcc \
  -DCMAKE_CXX_FLAGS="-O2 -D_FORTIFY_SOURCE=2 -D_GLIBCXX_ASSERTIONS -fstack-protector-strong -fstack-clash-protection -fcf-protection=full -fPIE" \
  -DCMAKE_C_FLAGS="-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fcf-protection=full -fPIE" \
  -DCMAKE_EXE_LINKER_FLAGS="-pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack -Wl,--as-needed" \
  -DCMAKE_SHARED_LINKER_FLAGS="-Wl,-z,relro,-z,now -Wl,-z,noexecstack" \
  -DCMAKE_CXX_FLAGS_RELEASE=-DNDEBUG -DCMAKE_C_FLAGS_RELEASE=-DNDEBUG > "$build.configure.log" ||
  { tail -20 "$build.configure.log"; exit 1; }
cmake --build "$build" --target carnet-bench carnet-crypto carnet-node -j "$jobs" \
  > "$build.build.log" || { grep -A5 -m3 'FAILED\|error' "$build.build.log"; exit 1; }

# The terminal as shipped on aarch64: an existing build/aarch64, else our own cross build.
aarch64_args=()
stripped="$build/carnet-terminal.aarch64.stripped"
if [[ -x "$root/build/aarch64/bin/carnet-terminal" ]]; then
  aarch64-linux-gnu-strip -o "$stripped" "$root/build/aarch64/bin/carnet-terminal"
  aarch64_args=(--aarch64-terminal "$stripped")
elif [[ -x "$root/build/bench-aarch64/bin/carnet-terminal" && " $* " == *" --quick "* ]]; then
  aarch64-linux-gnu-strip -o "$stripped" "$root/build/bench-aarch64/bin/carnet-terminal"
  aarch64_args=(--aarch64-terminal "$stripped")
elif [[ "${CARNET_BENCH_NO_AARCH64:-0}" != 1 && " $* " != *" --quick "* ]] &&
  command -v aarch64-linux-gnu-g++ > /dev/null; then
  cross="$root/build/bench-aarch64"
  (cd "$root" && cmake --preset aarch64 -B "$cross" "${launcher[@]}" > "$cross.configure.log" &&
    cmake --build "$cross" --target carnet-terminal -j "$jobs" > "$cross.build.log") &&
    aarch64-linux-gnu-strip -o "$stripped" "$cross/bin/carnet-terminal" &&
    aarch64_args=(--aarch64-terminal "$stripped") ||
    echo "run.sh: aarch64 cross build failed (see $cross.build.log); size row skipped" >&2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/carnet-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
"$build/bin/carnet-crypto" pki test-hierarchy "$scratch/pki" --seed carnet-bench > /dev/null
mkdir "$scratch/work"
"$build/bin/carnet-bench" --pki "$scratch/pki" --workdir "$scratch/work" \
  --node-bin "$build/bin/carnet-node" "${aarch64_args[@]}" "$@"
