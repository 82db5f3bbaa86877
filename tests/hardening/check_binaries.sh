#!/usr/bin/env bash
# Checks that executables carry the hardening of the `release` preset, from the ELF files
# themselves (what the compiler and linker actually did, not what the flags asked for):
#   PIE            ELF type DYN with an interpreter
#   full RELRO     a GNU_RELRO segment and BIND_NOW (DT_FLAGS BIND_NOW or DT_FLAGS_1 NOW)
#   noexecstack    GNU_STACK segment without the X flag
#   stack protector a reference to __stack_chk_fail (or __stack_chk_guard on arm)
#   FORTIFY        at least one __*_chk function imported, when the binary calls any
#                  fortifiable libc function at all
#   CET (x86-64)   our code compiled with -fcf-protection: ENDBR64 landing pads in .text.
#                  (The IBT/SHSTK bits of .note.gnu.property cannot be set on Debian 12: its
#                  glibc start files Scrt1.o and crti.o carry no property note, and the linker
#                  ANDs the notes of all inputs. The script reports the note as information.)
#   seccomp        carnet-terminal only: imports seccomp_load, i.e. firmware/hardening's filter is
#                  linked in and called (an unused static library leaves no import)
# Stack-clash protection leaves no mark in the ELF; it is checked by the preset's flags.
#
#   tests/hardening/check_binaries.sh BIN...     exit 0 when every binary passes
set -uo pipefail
[ $# -gt 0 ] || { echo "usage: $0 BINARY..." >&2; exit 2; }
fail=0
check() {  # check BIN NAME CONDITION_RESULT
  if [ "$3" = yes ]; then printf '  %-16s ok\n' "$2"; else printf '  %-16s MISSING\n' "$2"; fail=1; fi
}
for bin in "$@"; do
  [ -f "$bin" ] || { echo "$bin: no such file" >&2; fail=1; continue; }
  echo "$bin"
  hdr=$(readelf -h "$bin" 2>/dev/null)
  seg=$(readelf -lW "$bin" 2>/dev/null)
  dyn=$(readelf -dW "$bin" 2>/dev/null)
  syms=$(readelf --dyn-syms -W "$bin" 2>/dev/null)
  notes=$(readelf -nW "$bin" 2>/dev/null)
  check "$bin" PIE "$(grep -q 'Type: *DYN' <<<"$hdr" && grep -q 'INTERP' <<<"$seg" && echo yes)"
  check "$bin" RELRO "$(grep -q 'GNU_RELRO' <<<"$seg" && echo yes)"
  check "$bin" BIND_NOW "$(grep -Eq 'BIND_NOW|FLAGS_1.*NOW' <<<"$dyn" && echo yes)"
  check "$bin" noexecstack "$(grep -E 'GNU_STACK' <<<"$seg" | grep -vq 'RWE' && echo yes)"
  check "$bin" stack-protector "$(grep -Eq '__stack_chk_(fail|guard)' <<<"$syms" && echo yes)"
  if grep -Eq ' (memcpy|memmove|memset|strcpy|snprintf|sprintf|read|fgets|printf|fprintf)(@|$)' <<<"$syms" ||
      grep -q '_chk' <<<"$syms"; then
    check "$bin" FORTIFY "$(grep -Eq '__[a-z_]+_chk' <<<"$syms" && echo yes)"
  fi
  if [ "$(basename "$bin")" = carnet-terminal ]; then
    check "$bin" "seccomp" "$(grep -Eq ' seccomp_load(@|$)' <<<"$syms" && echo yes)"
  fi
  if grep -q 'Machine: *Advanced Micro Devices X86-64' <<<"$hdr"; then
    endbr=$(objdump -d --section=.text "$bin" 2>/dev/null | grep -c 'endbr64')
    check "$bin" "CET (endbr64)" "$([ "$endbr" -gt 10 ] && echo yes)"
    grep -q 'IBT' <<<"$notes" || printf '  %-16s (absent: Debian 12 start files lack it)\n' "CET note"
  fi
done
exit $fail
