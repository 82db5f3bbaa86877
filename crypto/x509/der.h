#pragma once
// A small forward DER writer, internal to crypto/x509: certificates, CRLs and CSRs are built
// from these pieces and then signed. Writing forward (content first, then wrapped with its tag
// and length) keeps the structure of each builder readable top to bottom, which matters more
// here than the few copies it costs.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::crypto::der {

inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kBitString = 0x03;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kNull = 0x05;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kUtf8String = 0x0C;
inline constexpr uint8_t kPrintableString = 0x13;
inline constexpr uint8_t kUtcTime = 0x17;
inline constexpr uint8_t kGeneralizedTime = 0x18;
inline constexpr uint8_t kSequence = 0x30;
inline constexpr uint8_t kSet = 0x31;

// tag || length || content, with the DER (minimal) length form.
Bytes Tlv(uint8_t tag, ByteView content);
// SEQUENCE / SET of already encoded elements, concatenated in the given order.
Bytes Sequence(std::initializer_list<ByteView> elements);
Bytes Concat(std::initializer_list<ByteView> elements);
// DER SET OF: elements sorted by their encodings (X.690 §11.6).
Bytes SetOf(std::vector<Bytes> elements);
// An OID given as its encoded body (the MBEDTLS_OID_* string constants).
Bytes Oid(std::string_view encoded);
// A non-negative INTEGER from big-endian magnitude bytes (leading zeros stripped, 0x00 added
// when the high bit is set).
Bytes UnsignedInteger(ByteView magnitude);
Bytes SmallInteger(uint32_t v);
Bytes Boolean(bool v);
// BIT STRING with no unused bits.
Bytes BitString(ByteView content);
// UTCTime for years 1950..2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
Result<Bytes> Time(UnixMillis t);
// [n] EXPLICIT / IMPLICIT context tags.
Bytes Explicit(uint8_t n, ByteView inner);
uint8_t ContextPrimitive(uint8_t n);

}  // namespace carnet::crypto::der
