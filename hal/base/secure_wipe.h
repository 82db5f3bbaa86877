#pragma once
// SecureWipe: overwrite a buffer with zeros in a way the compiler cannot drop as a dead store
// (the memset before a free that GCC and clang remove, CWE-14).
//
// hal cannot use crypto/core's SecretBytes (layering: hal <- crypto), yet hal copies secrets:
// a VERIFY command's PIN block goes through CardReader::Transmit and the PC/SC backend. Those
// scratch copies are wiped with this helper before their memory is released. Secrets that live
// longer than one call belong in crypto::SecretBytes, not here.

#include "hal/base/bytes.h"

namespace carnet {

// Zeroes every byte of `data`.
void SecureWipe(MutableByteView data);

// Wipes a Bytes buffer (its size() bytes) when the scope ends, whatever the return path. The
// buffer must not grow while guarded: a reallocation would leave the old copy unwiped in freed
// memory (reserve first).
class ScopedWipe {
 public:
  explicit ScopedWipe(Bytes& buffer) : buffer_(buffer) {}
  ~ScopedWipe() { SecureWipe(buffer_); }
  ScopedWipe(const ScopedWipe&) = delete;
  ScopedWipe& operator=(const ScopedWipe&) = delete;

 private:
  Bytes& buffer_;
};

}  // namespace carnet
