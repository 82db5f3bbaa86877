#pragma once
// In-memory KeyStore for unit tests: same name rules and Create/Replace semantics, no files.

#include <map>
#include <string>

#include "hal/keystore/key_store.h"

namespace carnet::hal::keystore {

class FakeKeyStore final : public KeyStore {
 private:
  Status DoPut(std::string_view name, ByteView data, bool overwrite) override {
    CARNET_TRY(CheckEntryName(name));
    if (data.size() > kMaxEntrySize) return OutOfRange("key store entry larger than 1 MiB");
    auto [it, inserted] = entries_.try_emplace(std::string(name));
    if (!inserted && !overwrite) return AlreadyExists("key store entry exists");
    it->second.assign(data.begin(), data.end());
    return Status::Ok();
  }
  Result<Bytes> DoGet(std::string_view name) const override {
    CARNET_TRY(CheckEntryName(name));
    auto it = entries_.find(std::string(name));
    if (it == entries_.end()) return NotFound("no key store entry " + std::string(name));
    return it->second;
  }
  Status DoDelete(std::string_view name) override {
    CARNET_TRY(CheckEntryName(name));
    if (entries_.erase(std::string(name)) == 0) return NotFound("no key store entry");
    return Status::Ok();
  }
  Result<std::vector<std::string>> DoList() const override {
    std::vector<std::string> names;
    for (const auto& [name, unused] : entries_) names.push_back(name);
    return names;
  }

  std::map<std::string, Bytes> entries_;
};

}  // namespace carnet::hal::keystore
