#pragma once
// SecretBytes: the only type that holds PINs, private key material and document keys.
//
// - Zeroized (mbedtls_platform_zeroize, which the compiler cannot elide) on destruction, on
//   move-from and on Clear().
// - No printer, no implicit conversion to a string or a ByteView: to read it, call view(),
//   which is easy to find in review. log::Field does not accept it, so it cannot reach a log.
// - Equality is constant-time (a PIN compare must not leak how many digits matched).
// - Not excluded from core dumps page by page (MADV_DONTDUMP would cost a page per secret):
//   the programs turn core dumps off as a whole (firmware/hardening: prctl PR_SET_DUMPABLE 0).
// - Moving transfers the buffer (no copy is left behind); the moved-from object is empty.

#include <cstddef>
#include <cstdint>

#include "hal/base/bytes.h"

namespace carnet::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size);
  explicit SecretBytes(ByteView data);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  // An explicit copy, so that copies of secrets are visible in the code.
  SecretBytes Clone() const { return SecretBytes(view()); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ByteView view() const { return ByteView(data_, size_); }
  MutableByteView mutable_view() { return MutableByteView(data_, size_); }
  void Clear();

  // Constant-time in the length of the shorter input; lengths themselves are not secret.
  bool Equals(const SecretBytes& other) const;

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Constant-time comparison of two equal-length buffers (false if lengths differ).
bool ConstantTimeEqual(ByteView a, ByteView b);

// Overwrites memory in a way the optimizer keeps.
void Zeroize(MutableByteView data);

namespace internal {
// Test seam: called with each SecretBytes buffer after it is wiped and just before it is
// freed, so a test can check the wipe without reading freed memory. Unset in programs.
using SecretFreeHook = void (*)(const uint8_t* data, size_t size);
void SetSecretFreeHookForTest(SecretFreeHook hook);
}  // namespace internal

}  // namespace carnet::crypto
