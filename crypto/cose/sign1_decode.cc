// Strict COSE_Sign1 decoding. Each check names the attack or confusion it prevents.
#include <span>
#include <string>

#include "crypto/cbor/decode.h"
#include "crypto/cose/sign1.h"
#include "crypto/cose/sign1_internal.h"

namespace carnet::crypto::cose {
namespace internal {
namespace {

using cbor::Type;
using cbor::Value;

std::string LabelText(const Value& label) {
  if (auto i = label.AsInt64(); i.ok()) return std::to_string(*i);
  if (auto t = label.AsText(); t.ok()) return "\"" + std::string(*t) + "\"";
  return "?";
}

Status CheckLabels(const Value& header, const char* which) {
  // The span is copied out of the Result first: ranging over `*header.AsMap()` would dangle.
  const std::span<const cbor::MapEntry> entries = *header.AsMap();
  for (const auto& [label, v] : entries) {
    if (!label.is(Type::kUnsigned) && !label.is(Type::kNegative) && !label.is(Type::kTextString)) {
      return InvalidArgument(std::string(which) +
                             " header label is not an integer or a text string");
    }
  }
  return Status::Ok();
}

// RFC 9360 §2: COSE_X509 = bstr / [ 2*certs: bstr ].
Status ReadX5Chain(const Value& v, const DecodeLimits& limits, std::vector<Bytes>& out) {
  out.clear();
  if (auto single = v.AsBytes(); single.ok()) {
    if (single->empty()) return InvalidArgument("x5chain holds an empty certificate");
    out.emplace_back(single->begin(), single->end());
    return Status::Ok();
  }
  auto certs = v.AsArray();
  if (!certs.ok()) return InvalidArgument("x5chain must be a bstr or an array of bstr");
  if (certs->size() < 2) {
    return InvalidArgument("x5chain array must hold at least 2 certificates (one is a bstr)");
  }
  if (certs->size() > limits.max_x5chain_length) {
    return OutOfRange("x5chain of " + std::to_string(certs->size()) +
                      " certificates exceeds the limit of " +
                      std::to_string(limits.max_x5chain_length));
  }
  for (const Value& cert : *certs) {
    auto der = cert.AsBytes();
    if (!der.ok() || der->empty()) return InvalidArgument("x5chain entry is not a non-empty bstr");
    out.emplace_back(der->begin(), der->end());
  }
  return Status::Ok();
}

}  // namespace

cbor::DecodeLimits CborLimits(size_t max_input_size) {
  cbor::DecodeLimits l;
  l.max_input_size = max_input_size;
  l.max_string_length = max_input_size;
  l.max_depth = 8;
  l.max_items = 1024;
  l.max_container_length = 64;
  l.require_canonical = true;
  return l;
}

Result<Value> DecodeProtected(ByteView protected_bytes, size_t max_size) {
  // An empty bstr is the empty map (RFC 9052 §3): alg would then be unprotected or absent.
  if (protected_bytes.empty()) {
    return InvalidArgument("protected header is empty: alg must be in the protected header");
  }
  if (protected_bytes.size() > max_size) {
    return OutOfRange("protected header of " + std::to_string(protected_bytes.size()) +
                      " bytes exceeds the limit of " + std::to_string(max_size));
  }
  auto header = cbor::Decode(protected_bytes, CborLimits(max_size));
  if (!header.ok()) return header.status().Annotate("protected header");
  if (!header->is(Type::kMap)) return InvalidArgument("protected header is not a map");
  return header;
}

Result<SignatureScheme> ProtectedAlg(const Value& protected_header) {
  const Value* alg = protected_header.FindInt(kLabelAlg);
  if (alg == nullptr) return InvalidArgument("protected header has no alg (label 1)");
  auto id = alg->AsInt64();
  if (!id.ok()) return InvalidArgument("alg is not an integer");
  return SchemeFromAlgorithmId(*id);
}

Status CheckHeaders(Sign1& message, const DecodeLimits& limits) {
  const Value& prot = message.protected_header;
  const Value& unprot = message.unprotected_header;
  CARNET_TRY(CheckLabels(prot, "protected"));
  CARNET_TRY(CheckLabels(unprot, "unprotected"));
  // RFC 9052 §3: a label must not appear in both buckets. Two values for one parameter would
  // let verifier and application act on different ones.
  const std::span<const cbor::MapEntry> unprot_entries = *unprot.AsMap();
  for (const auto& [label, v] : unprot_entries) {
    if (prot.Find(label) != nullptr) {
      return InvalidArgument("header label " + LabelText(label) +
                             " is in both the protected and the unprotected header");
    }
  }
  // alg unprotected would let an attacker pick the algorithm the verifier uses.
  if (unprot.FindInt(kLabelAlg) != nullptr) {
    return InvalidArgument("alg is in the unprotected header; it must be protected");
  }
  // crit names parameters the verifier must understand; Carnet understands none beyond
  // alg and x5chain, so a message that needs crit is refused rather than half-understood.
  if (prot.FindInt(kLabelCrit) != nullptr || unprot.FindInt(kLabelCrit) != nullptr) {
    return InvalidArgument("crit header parameter is not supported");
  }
  // An unprotected x5chain could be swapped for another certificate of the same key.
  if (unprot.FindInt(kLabelX5Chain) != nullptr) {
    return InvalidArgument("x5chain is in the unprotected header; it must be protected");
  }
  CARNET_ASSIGN_OR_RETURN(message.alg, ProtectedAlg(prot));
  if (const Value* chain = prot.FindInt(kLabelX5Chain); chain != nullptr) {
    CARNET_TRY(ReadX5Chain(*chain, limits, message.x5chain));
  }
  return Status::Ok();
}

}  // namespace internal

namespace {

using cbor::Type;
using cbor::Value;

Result<const Value*> Untag(const Value& top) {
  if (!top.is(Type::kTag)) return &top;  // untagged COSE_Sign1: the context says what it is
  if (*top.TagNumber() != kTagSign1) {
    return InvalidArgument("tag " + std::to_string(*top.TagNumber()) + " is not COSE_Sign1 (18)");
  }
  return *top.TagContent();
}

Status ReadParts(std::span<const Value> items, const DecodeLimits& limits, Sign1& out) {
  auto prot = items[0].AsBytes();
  if (!prot.ok()) return InvalidArgument("protected header is not a byte string");
  CARNET_ASSIGN_OR_RETURN(out.protected_header,
                          internal::DecodeProtected(*prot, limits.max_protected_size));
  out.protected_bytes.assign(prot->begin(), prot->end());
  if (!items[1].is(Type::kMap)) return InvalidArgument("unprotected header is not a map");
  out.unprotected_header = items[1];
  // nil payload = detached content (RFC 9052 §4.1): the signed bytes would come from
  // elsewhere, outside this message's limits and checks. Not accepted.
  if (items[2].is(Type::kNull)) return InvalidArgument("detached payload is not supported");
  auto payload = items[2].AsBytes();
  if (!payload.ok()) return InvalidArgument("payload is not a byte string");
  out.payload.assign(payload->begin(), payload->end());
  auto signature = items[3].AsBytes();
  if (!signature.ok()) return InvalidArgument("signature is not a byte string");
  out.signature.assign(signature->begin(), signature->end());
  return Status::Ok();
}

}  // namespace

Result<Sign1> Decode(ByteView message, const DecodeLimits& limits) {
  if (message.size() > limits.max_message_size) {
    return OutOfRange("COSE_Sign1 of " + std::to_string(message.size()) +
                      " bytes exceeds the limit of " + std::to_string(limits.max_message_size));
  }
  auto top = cbor::Decode(message, internal::CborLimits(limits.max_message_size));
  if (!top.ok()) return top.status().Annotate("COSE_Sign1");
  CARNET_ASSIGN_OR_RETURN(const Value* body, Untag(*top));
  auto items = body->AsArray();
  if (!items.ok()) return InvalidArgument("COSE_Sign1 is not an array");
  if (items->size() != 4) {
    return InvalidArgument("COSE_Sign1 array has " + std::to_string(items->size()) +
                           " elements, expected 4");
  }
  Sign1 out;
  CARNET_TRY(ReadParts(*items, limits, out));
  CARNET_TRY(internal::CheckHeaders(out, limits));
  // The exact RSA length needs the key (Verify checks it); ES256 is always 64 bytes.
  if (out.alg == SignatureScheme::kEs256 && out.signature.size() != 64) {
    return InvalidArgument("ES256 signature is " + std::to_string(out.signature.size()) +
                           " bytes, expected 64");
  }
  return out;
}

}  // namespace carnet::crypto::cose
