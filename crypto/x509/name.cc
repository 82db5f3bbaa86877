#include "crypto/x509/name.h"

#include <mbedtls/oid.h>

#include "crypto/x509/der.h"

namespace carnet::crypto {
namespace {

constexpr size_t kMaxValueBytes = 256;

std::string_view AttributeOid(NameAttributeType t) {
  switch (t) {
    case NameAttributeType::kCountry:
      return MBEDTLS_OID_AT_COUNTRY;
    case NameAttributeType::kOrganization:
      return MBEDTLS_OID_AT_ORGANIZATION;
    case NameAttributeType::kOrganizationalUnit:
      return MBEDTLS_OID_AT_ORG_UNIT;
    case NameAttributeType::kCommonName:
      return MBEDTLS_OID_AT_CN;
    case NameAttributeType::kSurname:
      return MBEDTLS_OID_AT_SUR_NAME;
    case NameAttributeType::kGivenName:
      return MBEDTLS_OID_AT_GIVEN_NAME;
    case NameAttributeType::kTitle:
      return MBEDTLS_OID_AT_TITLE;
  }
  return {};
}

bool IsCountryCode(const std::string& v) {
  return v.size() == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z';
}

Result<Bytes> EncodeAttribute(const NameAttribute& a) {
  if (a.value.empty() || a.value.size() > kMaxValueBytes) {
    return InvalidArgument("name attribute value must be 1.." + std::to_string(kMaxValueBytes) +
                           " bytes");
  }
  uint8_t string_tag = der::kUtf8String;
  if (a.type == NameAttributeType::kCountry) {
    if (!IsCountryCode(a.value)) return InvalidArgument("country must be two capital letters");
    string_tag = der::kPrintableString;
  }
  return der::Sequence({der::Oid(AttributeOid(a.type)), der::Tlv(string_tag, AsBytes(a.value))});
}

}  // namespace

DistinguishedName SimpleName(const std::string& country,
                             const std::string& organization,
                             const std::vector<std::string>& units,
                             const std::string& common_name) {
  DistinguishedName name;
  auto add = [&name](NameAttributeType t, const std::string& v) {
    if (!v.empty()) name.rdns.push_back({{t, v}});
  };
  add(NameAttributeType::kCountry, country);
  add(NameAttributeType::kOrganization, organization);
  for (const std::string& ou : units) add(NameAttributeType::kOrganizationalUnit, ou);
  add(NameAttributeType::kCommonName, common_name);
  return name;
}

DistinguishedName HolderDistinguishedName(const HolderName& holder,
                                          const std::string& organization) {
  DistinguishedName name;
  name.rdns.push_back({{NameAttributeType::kCountry, "FR"}});
  if (!organization.empty())
    name.rdns.push_back({{NameAttributeType::kOrganization, organization}});
  name.rdns.push_back({{NameAttributeType::kTitle, holder.title}});
  name.rdns.push_back({{NameAttributeType::kCommonName, holder.id_nat},
                       {NameAttributeType::kSurname, holder.surname},
                       {NameAttributeType::kGivenName, holder.given_name}});
  return name;
}

Result<Bytes> EncodeName(const DistinguishedName& name) {
  Bytes rdns;
  for (const RelativeName& rdn : name.rdns) {
    if (rdn.empty()) return InvalidArgument("empty RDN in a name");
    std::vector<Bytes> attributes;
    for (const NameAttribute& a : rdn) {
      CARNET_ASSIGN_OR_RETURN(Bytes encoded, EncodeAttribute(a));
      attributes.push_back(std::move(encoded));
    }
    Append(rdns, der::SetOf(std::move(attributes)));
  }
  return der::Tlv(der::kSequence, rdns);
}

}  // namespace carnet::crypto
