#pragma once
// The node's copy of the RPPS directory (DESIGN.md §2): who a professional is, by idNat. The
// profession and specialty used for habilitation come from here, not from the request.
//
// File format (README.md has the full grammar): UTF-8 text, LF line ends, one header line then
// one professional per line, eight '|'-separated columns named like those of the public
// extract "PS_LibreAcces_Personne_activite" (annuaire.sante.fr):
//
//   Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|
//   Prénom d'exercice|Code profession|Code savoir-faire|Statut
//   8|99700100011|899700100011|DUBOIS|CLAIRE|10|SM54|active
//
// Parsing is strict and all-or-nothing: the first bad line fails the whole file with its
// 1-based line number, so a truncated or corrupted download can never half-replace the
// directory (a professional missing from it would be refused; one with a stale profession
// could read what they should not).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hal/base/status.h"

namespace carnet::node::directory {

inline constexpr std::string_view kHeader =
    "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|"
    "Prénom d'exercice|Code profession|Code savoir-faire|Statut";
inline constexpr std::string_view kRppsIdType = "8";  // "Type d'identifiant PP" for RPPS

struct DirectoryEntry {
  std::string id_nat;      // "8" + rpps
  std::string rpps;        // 11 digits, Luhn
  std::string surname;     // Nom d'exercice
  std::string given_name;  // Prénom d'exercice
  std::string profession;  // TRE_G15 code ("10")
  std::string specialty;   // TRE_R01 savoir-faire ("SM54") or "" when none
  bool active = true;      // "inactive": left the profession, suspended... every request refused
};

struct ParseLimits {
  size_t max_bytes = 64 * 1024 * 1024;
  size_t max_entries = 2'000'000;  // the whole RPPS is ~1.3 M professionals
  size_t max_name_bytes = 100;
};

class Directory {
 public:
  Directory() = default;
  // Parses the whole text; any error is kInvalidArgument "line N: ..." (kOutOfRange for the
  // size and entry limits). Nothing is returned unless every line is valid.
  static Result<Directory> Parse(std::string_view text, const ParseLimits& limits = {});
  // Reads and parses `path` (at most limits.max_bytes).
  static Result<Directory> Load(const std::string& path, const ParseLimits& limits = {});

  // The entry for `id_nat`, or nullptr. The pointer is valid while this Directory lives.
  const DirectoryEntry* Lookup(std::string_view id_nat) const;
  size_t size() const { return entries_.size(); }
  const std::vector<DirectoryEntry>& entries() const { return entries_; }

 private:
  std::vector<DirectoryEntry> entries_;            // file order
  std::unordered_map<std::string, size_t> index_;  // id_nat -> position in entries_
};

// The file text for `entries`, in the given order (header included). Fails when an entry would
// not parse back (bad idNat, '|' or a line break in a name...), naming its position.
Result<std::string> FormatDirectory(const std::vector<DirectoryEntry>& entries);

// Validates `src` completely, then replaces `dest` (the node's copy: config `directory.file`)
// atomically. A bad file changes nothing. Returns the number of professionals imported.
Result<size_t> ImportDirectory(const std::string& src,
                               const std::string& dest,
                               const ParseLimits& limits = {});

}  // namespace carnet::node::directory
