#pragma once
// Internal to crypto/protocol: pieces of the response decoder split across files.

#include <string>
#include <vector>

#include "crypto/cbor/value.h"
#include "crypto/protocol/response.h"

namespace carnet::protocol::internal {

Result<DocumentInfo> DecodeDocumentInfo(const crypto::cbor::Value& v,
                                        const std::string& path,
                                        const Limits& limits);
Result<std::vector<DocumentInfo>> DecodeInfoList(const crypto::cbor::Value& v,
                                                 const std::string& path,
                                                 const Limits& limits);
Result<std::vector<TraceEntry>> DecodeTraceList(const crypto::cbor::Value& v,
                                                const std::string& path,
                                                const Limits& limits);
// `index` is the ResponseBody alternative named by the body's key.
Result<ResponseBody> DecodeBody(size_t index, const crypto::cbor::Value& v, const Limits& limits);

}  // namespace carnet::protocol::internal
