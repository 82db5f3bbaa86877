#include "crypto/core/secret.h"

#include <mbedtls/platform_util.h>

#include <atomic>
#include <cstring>
#include <new>

namespace carnet::crypto {
namespace {
std::atomic<internal::SecretFreeHook> g_free_hook{nullptr};
}  // namespace

namespace internal {
void SetSecretFreeHookForTest(SecretFreeHook hook) { g_free_hook.store(hook); }
}  // namespace internal

SecretBytes::SecretBytes(size_t size) : data_(size ? new uint8_t[size]() : nullptr), size_(size) {}

SecretBytes::SecretBytes(ByteView data) : SecretBytes(data.size()) {
  if (!data.empty()) std::memcpy(data_, data.data(), data.size());
}

SecretBytes::~SecretBytes() { Clear(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(other.data_), size_(other.size_) {
  // The buffer changes owner; nothing is copied, so there is nothing left behind to wipe.
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Clear();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void SecretBytes::Clear() {
  if (data_ != nullptr) {
    mbedtls_platform_zeroize(data_, size_);
    if (auto hook = g_free_hook.load(std::memory_order_relaxed)) hook(data_, size_);
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
}

bool SecretBytes::Equals(const SecretBytes& other) const {
  return ConstantTimeEqual(view(), other.view());
}

bool ConstantTimeEqual(ByteView a, ByteView b) {
  // Lengths are public (a PIN's length is not what the comparison protects); the contents
  // are compared without an early exit so the time taken does not reveal the first mismatch.
  if (a.size() != b.size()) return false;
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = static_cast<uint8_t>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

void Zeroize(MutableByteView data) {
  if (!data.empty()) mbedtls_platform_zeroize(data.data(), data.size());
}

}  // namespace carnet::crypto
