#pragma once
// Internal to crypto/protocol: strict readers of CBOR maps with text keys, and small builders.
// Every error message starts with the field's path ("request.actor.idnat: ..."), so that each
// rejection can be told apart by the tests and by whoever reads a 400 answer.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/cbor/decode.h"
#include "crypto/cbor/value.h"
#include "crypto/protocol/request.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::protocol::wire {

namespace cbor = crypto::cbor;

// The CBOR limits that follow from protocol Limits: the whole message holds one document
// plus overhead; lists are bounded by max_list_entries.
cbor::DecodeLimits CborLimits(const Limits& limits);

std::string Join(std::string_view path, std::string_view key);

// A map whose keys are all text strings. Each accessor marks its key as read; Finish()
// refuses any key nobody read (unknown keys are an error, not ignored: a field the node does
// not understand must not be silently dropped from a signed request).
class MapReader {
 public:
  static Result<MapReader> Open(const cbor::Value& value, std::string path);

  const std::string& path() const { return path_; }
  // nullptr when absent.
  const cbor::Value* Find(std::string_view key);
  Result<const cbor::Value*> Required(std::string_view key);

  Result<std::string> Text(std::string_view key, size_t max_length);
  Result<std::optional<std::string>> OptionalText(std::string_view key, size_t max_length);
  Result<Bytes> ByteString(std::string_view key, size_t min_size, size_t max_size);
  Result<uint64_t> Uint(std::string_view key);
  Result<std::optional<uint64_t>> OptionalUint(std::string_view key);
  Result<UnixMillis> Time(std::string_view key);
  Result<std::optional<UnixMillis>> OptionalTime(std::string_view key);
  Result<bool> Bool(std::string_view key);
  Result<Sha256Digest> Digest(std::string_view key);

  Status Finish() const;

 private:
  MapReader(const cbor::Value* map, std::string path) : map_(map), path_(std::move(path)) {}

  const cbor::Value* map_;
  std::string path_;
  std::vector<std::string> read_;
};

// Value-level checks, `path` naming the field.
Result<std::string> AsText(const cbor::Value& v, const std::string& path, size_t max_length);
Result<uint64_t> AsUint(const cbor::Value& v, const std::string& path);

// Builders for the encoders.
void Put(cbor::Value& map, std::string_view key, cbor::Value value);
void PutText(cbor::Value& map, std::string_view key, std::string_view text);
void PutBytes(cbor::Value& map, std::string_view key, ByteView bytes);
void PutUint(cbor::Value& map, std::string_view key, uint64_t v);
void PutTime(cbor::Value& map, std::string_view key, UnixMillis t);  // negative → Int
void PutBool(cbor::Value& map, std::string_view key, bool v);

// Shared between request and response.
cbor::Value EncodeMetadata(const DocumentMetadata& m);
Result<DocumentMetadata> DecodeMetadata(const cbor::Value& v,
                                        const std::string& path,
                                        const Limits& limits);

}  // namespace carnet::protocol::wire
