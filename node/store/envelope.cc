#include "node/store/envelope.h"

#include <string>
#include <utility>

#include "crypto/core/aead.h"

namespace carnet::node::store {
namespace {

constexpr std::string_view kAadLabel = "carnet-doc-v1";

void AppendField(Bytes& out, std::string_view field) {
  AppendU32Be(out, static_cast<uint32_t>(field.size()));
  out.insert(out.end(), field.begin(), field.end());
}

}  // namespace

Bytes DocumentAad(const DocumentBinding& binding) {
  Bytes aad(kAadLabel.begin(), kAadLabel.end());
  AppendField(aad, binding.ins);
  AppendField(aad, binding.document_id);
  AppendU64Be(aad, binding.version);
  return aad;
}

Result<Bytes> NewWrappedPatientKey(const crypto::SecretBytes& kek, Random& rng) {
  crypto::SecretBytes key(kPatientKeySize);
  CARNET_TRY(rng.Fill(key.mutable_view()));
  return crypto::AesKeyWrap(kek, key);
}

Result<crypto::SecretBytes> UnwrapPatientKey(const crypto::SecretBytes& kek, ByteView wrapped) {
  // The wrapped key comes from storage: whatever is wrong with it, the data is lost to us.
  if (wrapped.empty()) return DataLoss("patient key destroyed");
  auto unwrapped = crypto::AesKeyUnwrap(kek, wrapped);
  if (!unwrapped.ok()) {
    return DataLoss("patient key does not unwrap: " + unwrapped.status().message());
  }
  crypto::SecretBytes key = std::move(unwrapped).value();
  if (key.size() != kPatientKeySize) {
    return DataLoss("wrapped patient key has the wrong length");
  }
  return key;
}

Result<Bytes> SealDocument(const crypto::SecretBytes& patient_key,
                           const DocumentBinding& binding,
                           ByteView plaintext,
                           Random& rng) {
  // Field sizes beyond u32 cannot be encoded unambiguously; they are never legitimate.
  if (binding.ins.size() > UINT32_MAX || binding.document_id.size() > UINT32_MAX) {
    return InvalidArgument("document binding field too long");
  }
  return crypto::AesGcmSeal(patient_key, plaintext, DocumentAad(binding), rng);
}

Result<crypto::SecretBytes> OpenDocument(const crypto::SecretBytes& patient_key,
                                         const DocumentBinding& binding,
                                         ByteView sealed) {
  auto opened = crypto::AesGcmOpen(patient_key, sealed, DocumentAad(binding));
  if (!opened.ok()) {
    // Any failure (short blob, wrong tag) means the row is not what was sealed here.
    return DataLoss(
        "document " + std::string(binding.document_id) + " v" + std::to_string(binding.version) +
        " does not open under its patient key and binding: " + opened.status().message());
  }
  return opened;
}

}  // namespace carnet::node::store
