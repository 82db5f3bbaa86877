#pragma once
// The JSON form of a dossier (the "dossier" object of a scenario, README.md): how
// `carnet-node policy explain` reads it and how the node persists a patient's dossier
// settings. DossierToJson writes every field, so ParseDossierJson(DossierToJson(d)) == d.

#include <optional>
#include <string>
#include <string_view>

#include "hal/base/json.h"
#include "hal/base/status.h"
#include "node/policy/model.h"

namespace carnet::node::policy {

Result<Dossier> ParseDossierJson(std::string_view json_text);
std::string DossierToJson(const Dossier& dossier);

// For the scenario parser: the dossier object already parsed as JSON, and an optional or
// required RFC 3339 field (an empty string counts as absent).
Status ParseDossierValue(const json::Value& value, Dossier* dossier);
Status ReadTimeField(json::ObjectReader& r,
                     std::string_view key,
                     json::Presence presence,
                     std::optional<UnixMillis>* out);

}  // namespace carnet::node::policy
