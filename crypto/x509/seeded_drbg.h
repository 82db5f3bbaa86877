#pragma once
// A CTR-DRBG whose "entropy" is derived from a fixed seed: the same seed and label always give
// the same output. For the reproducible test PKI only — keys made with it are as secret as
// the seed, which is printed in test logs. Never for production keys (use Drbg::ForThread()).

#include <memory>
#include <string_view>

#include "crypto/core/hash.h"
#include "hal/base/random.h"

namespace carnet::crypto {

class SeededDrbg final : public Random {
 public:
  // `seed` is typically SHA-256 of the user's text; `label` separates the streams of
  // different keys so that one key does not depend on how many others were made before it.
  static Result<std::unique_ptr<SeededDrbg>> Create(const Sha256Digest& seed,
                                                    std::string_view label);
  ~SeededDrbg() override;
  SeededDrbg(const SeededDrbg&) = delete;
  SeededDrbg& operator=(const SeededDrbg&) = delete;

 private:
  SeededDrbg();
  Status DoFill(MutableByteView out) override;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carnet::crypto
