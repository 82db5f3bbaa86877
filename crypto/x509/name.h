#pragma once
// Distinguished names as Carnet writes them into certificates and CSRs.
//
// mbedTLS's string-to-name helper cannot express a multi-valued RDN, and the IGC-Santé
// subject needs one (`CN=8<RPPS>+SN=<surname>+GN=<given>`, DESIGN.md §2), so names are built
// here as DER directly. RDNs are listed in DER order: most significant first (C, O, OU, ...),
// the holder's RDN last; OpenSSL prints them in that order.

#include <string>
#include <vector>

#include "crypto/x509/certificate.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::crypto {

enum class NameAttributeType {
  kCountry,             // 2.5.4.6, PrintableString, two letters
  kOrganization,        // 2.5.4.10
  kOrganizationalUnit,  // 2.5.4.11
  kCommonName,          // 2.5.4.3
  kSurname,             // 2.5.4.4
  kGivenName,           // 2.5.4.42
  kTitle,               // 2.5.4.12
};

struct NameAttribute {
  NameAttributeType type;
  std::string value;  // UTF-8
};

// One RDN; more than one attribute makes a multi-valued RDN (a DER SET, sorted on encoding).
using RelativeName = std::vector<NameAttribute>;

struct DistinguishedName {
  std::vector<RelativeName> rdns;  // DER order
};

// C, O, each OU, CN — each a single-valued RDN; empty values are left out.
DistinguishedName SimpleName(const std::string& country,
                             const std::string& organization,
                             const std::vector<std::string>& units,
                             const std::string& common_name);

// The IGC-Santé card holder name: C, O, title, then CN+SN+GN as one RDN.
DistinguishedName HolderDistinguishedName(const HolderName& holder,
                                          const std::string& organization);

// DER Name. Fails on empty values, a country that is not two PrintableString letters, or
// values over 256 bytes (no upper bound in X.520 we want to exercise).
Result<Bytes> EncodeName(const DistinguishedName& name);

}  // namespace carnet::crypto
