#include "node/directory/test_pki_directory.h"

#include "hal/base/json.h"
#include "node/directory/atomic_file.h"

namespace carnet::node::directory {
namespace {

constexpr size_t kMaxIndexBytes = 1 << 20;

Result<DirectoryEntry> EntryFromJson(const json::Value& v, std::string path) {
  CARNET_ASSIGN_OR_RETURN(json::ObjectReader r, json::ObjectReader::Open(v, std::move(path)));
  DirectoryEntry e;
  CARNET_TRY(r.String("idnat", json::Presence::kRequired, &e.id_nat));
  CARNET_TRY(r.String("rpps", json::Presence::kRequired, &e.rpps));
  CARNET_TRY(r.String("surname", json::Presence::kRequired, &e.surname));
  CARNET_TRY(r.String("given_name", json::Presence::kRequired, &e.given_name));
  CARNET_TRY(r.String("profession", json::Presence::kRequired, &e.profession));
  CARNET_TRY(r.String("specialty", json::Presence::kOptional, &e.specialty));
  // The other fields (files, labels, revoked...) are the PKI's business, not the directory's.
  return e;
}

}  // namespace

std::vector<DirectoryEntry> EntriesFromTestPki(const crypto::TestPki& pki) {
  std::vector<DirectoryEntry> out;
  for (const crypto::TestProfessional& p : pki.professionals) {
    out.push_back(DirectoryEntry{p.IdNat(), p.rpps, p.surname, p.given_name, p.profession,
                                 p.specialty, true});
  }
  return out;
}

Result<std::string> DirectoryFromTestPki(const std::string& index_json_path) {
  CARNET_ASSIGN_OR_RETURN(std::string text, ReadFileLimited(index_json_path, kMaxIndexBytes));
  auto doc = json::Parse(text);
  if (!doc.ok()) return doc.status().Annotate(index_json_path);
  const json::Value* format = doc->Find("format");
  if (format == nullptr || format->as_string() != "carnet-test-pki/1") {
    return InvalidArgument(index_json_path + ": not a carnet-test-pki/1 index");
  }
  const json::Value* pros = doc->Find("professionals");
  if (pros == nullptr || !pros->is(json::Kind::kArray)) {
    return InvalidArgument(index_json_path + ": no \"professionals\" array");
  }
  std::vector<DirectoryEntry> entries;
  for (size_t i = 0; i < pros->as_array().size(); ++i) {
    auto e = EntryFromJson(pros->as_array()[i], json::IndexPath("professionals", i));
    if (!e.ok()) return e.status().Annotate(index_json_path);
    entries.push_back(std::move(e).value());
  }
  return FormatDirectory(entries);
}

}  // namespace carnet::node::directory
