#include <cstdint>

#include "node/service/service_internal.h"

namespace carnet::node::service::internal {
namespace {

constexpr std::string_view kMagic = "CDOC1";

void PutField(Bytes& out, std::string_view field) {
  const auto n = static_cast<uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(n >> shift));
  out.insert(out.end(), field.begin(), field.end());
}

Result<std::string> GetField(ByteView in, size_t& pos) {
  if (in.size() - pos < 4) return DataLoss("sealed document: truncated field length");
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | in[pos + static_cast<size_t>(i)];
  pos += 4;
  if (in.size() - pos < n) return DataLoss("sealed document: truncated field");
  std::string field(reinterpret_cast<const char*>(in.data() + pos), n);
  pos += n;
  return field;
}

}  // namespace

std::string FormatFlags(const DocFlags& flags) {
  std::string out;
  auto add = [&out](std::string_view token) {
    if (!out.empty()) out += ',';
    out += token;
  };
  if (flags.masque_ps) add("masque_ps");
  if (flags.invisible_patient) add("invisible_patient");
  if (flags.invisible_representatives) add("invisible_representants_legaux");
  if (flags.revealed) add("revealed");
  for (const auto& code : flags.hl7) add("hl7:" + code);
  return out;
}

DocFlags ParseFlags(std::string_view text) {
  DocFlags flags;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view token = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (token == "masque_ps") {
      flags.masque_ps = true;
    } else if (token == "invisible_patient") {
      flags.invisible_patient = true;
    } else if (token == "invisible_representants_legaux") {
      flags.invisible_representatives = true;
    } else if (token == "revealed") {
      flags.revealed = true;
    } else if (token.substr(0, 4) == "hl7:") {
      flags.hl7.emplace_back(token.substr(4));
    }
  }
  return flags;
}

Bytes FrameDocument(const SealedDocument& doc) {
  Bytes out(kMagic.begin(), kMagic.end());
  out.reserve(out.size() + 12 + doc.title.size() + doc.content_type.size() + doc.replaces.size() +
              doc.content.size());
  PutField(out, doc.title);
  PutField(out, doc.content_type);
  PutField(out, doc.replaces);
  out.insert(out.end(), doc.content.begin(), doc.content.end());
  return out;
}

Result<SealedDocument> UnframeDocument(ByteView plaintext) {
  if (plaintext.size() < kMagic.size() ||
      std::string_view(reinterpret_cast<const char*>(plaintext.data()), kMagic.size()) != kMagic) {
    return DataLoss("sealed document: unknown format");
  }
  size_t pos = kMagic.size();
  SealedDocument doc;
  CARNET_ASSIGN_OR_RETURN(doc.title, GetField(plaintext, pos));
  CARNET_ASSIGN_OR_RETURN(doc.content_type, GetField(plaintext, pos));
  CARNET_ASSIGN_OR_RETURN(doc.replaces, GetField(plaintext, pos));
  doc.content.assign(plaintext.begin() + static_cast<std::ptrdiff_t>(pos), plaintext.end());
  return doc;
}

}  // namespace carnet::node::service::internal
