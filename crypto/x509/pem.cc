// PEM framing and small-file reading shared by the x509 code.
#include <cstdio>
#include <memory>

#include "crypto/x509/certificate_internal.h"

namespace carnet::crypto {

Result<std::vector<Bytes>> DecodePemBlocks(std::string_view pem, std::string_view label) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  std::vector<Bytes> blocks;
  size_t pos = 0;
  while ((pos = pem.find(begin, pos)) != std::string_view::npos) {
    size_t body = pos + begin.size();
    size_t stop = pem.find(end, body);
    if (stop == std::string_view::npos) return InvalidArgument("PEM block without its END line");
    std::string b64;
    for (char c : pem.substr(body, stop - body)) {
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') b64.push_back(c);
    }
    auto decoded = Base64Decode(b64);
    if (!decoded.ok()) return decoded.status().Annotate("PEM " + std::string(label));
    blocks.push_back(std::move(decoded).value());
    pos = stop + end.size();
  }
  if (blocks.empty()) return InvalidArgument("no PEM " + std::string(label) + " block found");
  return blocks;
}

std::string EncodePem(ByteView der, std::string_view label) {
  std::string b64 = Base64Encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) {
    out += b64.substr(i, 64);
    out += '\n';
  }
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

Result<Bytes> ReadSmallFile(const std::string& path, size_t max_bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return NotFound("cannot open " + path);
  Bytes out;
  uint8_t buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
    if (out.size() + n > max_bytes) {
      return OutOfRange(path + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.insert(out.end(), buf, buf + n);
  }
  if (std::ferror(f.get())) return Unavailable("error reading " + path);
  return out;
}

}  // namespace carnet::crypto
