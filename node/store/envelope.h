#pragma once
// Envelope encryption (DESIGN.md §5): one random 256-bit key per patient, stored only wrapped
// with the KEK (AES key wrap, RFC 3394); each document version sealed with AES-256-GCM under its
// patient's key, a fresh random nonce, and associated data binding it to (INS, document id,
// version). A sealed blob copied to another row — another patient, document or version — fails
// to open with kDataLoss, so a database edit cannot silently move records between patients.
//
// The AAD is length-prefixed so that no two distinct triples share an encoding:
//   "carnet-doc-v1" || u32be(len(ins)) || ins || u32be(len(id)) || id || u64be(version)

#include <cstdint>
#include <string_view>

#include "crypto/core/secret.h"
#include "hal/base/bytes.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::node::store {

inline constexpr size_t kPatientKeySize = 32;

// Where a sealed document belongs. Fields are views: the caller keeps them alive for the call.
struct DocumentBinding {
  std::string_view ins;
  std::string_view document_id;
  uint64_t version = 0;
};

// The associated data for `binding` (format above).
Bytes DocumentAad(const DocumentBinding& binding);

// A fresh patient key from `rng`, returned wrapped with `kek` (40 bytes).
Result<Bytes> NewWrappedPatientKey(const crypto::SecretBytes& kek, Random& rng);
// kDataLoss if `wrapped` is empty (destroyed), was not made with `kek`, or was altered.
Result<crypto::SecretBytes> UnwrapPatientKey(const crypto::SecretBytes& kek, ByteView wrapped);

// nonce || ciphertext || tag, as crypto::AesGcmSeal.
Result<Bytes> SealDocument(const crypto::SecretBytes& patient_key,
                           const DocumentBinding& binding,
                           ByteView plaintext,
                           Random& rng);
// kDataLoss on any mismatch of key, binding or blob; no plaintext is released then.
Result<crypto::SecretBytes> OpenDocument(const crypto::SecretBytes& patient_key,
                                         const DocumentBinding& binding,
                                         ByteView sealed);

}  // namespace carnet::node::store
