#!/usr/bin/env bash
# Installs what Carnet needs from Debian 12's packages. Idempotent: when every package is
# already installed it only asks dpkg (well under a second) and touches nothing.
#
#   toolchains/bootstrap.sh [host|cross-aarch64|cross-armhf|bench|all]...
#
# host           compilers, libraries and test tools for the host build (default)
# cross-aarch64  multiarch libraries + cross compiler + qemu-user for arm64
# cross-armhf    the same for armhf
# bench          peers for the benchmarks (lighttpd with mod_mbedtls, mod_magnet for the answer)
set -euo pipefail

host_pkgs=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-14 llvm-14 libclang-rt-14-dev clang-format clang-tidy
  libmbedtls-dev libsqlite3-dev sqlite3 libboost-dev libboost-system-dev libcbor-dev
  libpcsclite-dev pcscd vsmartcard-vpcd opensc pcsc-tools libseccomp-dev
  cpputest libcpputest-dev openssl curl python3 procps psmisc
)
# Libraries the terminal links, per architecture (DESIGN.md §1: hal, crypto, firmware).
cross_libs=(libmbedtls-dev libcbor-dev libsqlite3-dev libpcsclite-dev libseccomp-dev libcpputest-dev)

want=()
add_arch=()
for what in "${@:-host}"; do
  case "$what" in
    host) want+=("${host_pkgs[@]}") ;;
    cross-aarch64|cross-armhf)
      arch=${what#cross-}; [ "$arch" = aarch64 ] && arch=arm64
      add_arch+=("$arch")
      want+=("crossbuild-essential-$arch" qemu-user)
      for l in "${cross_libs[@]}"; do want+=("$l:$arch"); done ;;
    bench) want+=(lighttpd lighttpd-mod-mbedtls lighttpd-modules-lua) ;;
    all) exec "$0" host cross-aarch64 bench ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bootstrap: unknown set '$what' (try --help)" >&2; exit 2 ;;
  esac
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

for a in "${add_arch[@]}"; do
  dpkg --print-foreign-architectures | grep -qx "$a" || { $sudo dpkg --add-architecture "$a"; need_update=1; }
done

# One dpkg-query for everything. A name without ":arch" means the native or "all" package
# (with multiarch, dpkg lists every installed architecture of a name).
native=$(dpkg --print-architecture)
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}:${Architecture}\n' 2>/dev/null |
  awk '$1 == "ii" {print $2}')
missing=()
for p in "${want[@]}"; do
  case "$p" in
    *:*) grep -qxF "$p" <<<"$installed" || missing+=("$p") ;;
    *) grep -qxE "$p:($native|all)" <<<"$installed" || missing+=("$p") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${#missing[@]} package(s): ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends: libpcsclite-dev:arm64 otherwise drags the host's pcscd into a
# conflict with the arm64 one, and nothing here needs recommends.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
