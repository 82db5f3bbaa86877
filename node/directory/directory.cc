#include "node/directory/directory.h"

#include "crypto/x509/certificate.h"
#include "node/directory/atomic_file.h"
#include "node/policy/codes.h"

namespace carnet::node::directory {
namespace {

constexpr size_t kColumns = 8;

Status LineError(size_t line, std::string_view what) {
  return InvalidArgument("line " + std::to_string(line) + ": " + std::string(what));
}

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// Length of the UTF-8 sequence that starts with `c`, 0 for a byte that cannot start one.
size_t Utf8Length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 0;
}

// Well-formed UTF-8 (no overlong forms, no surrogates, ≤ U+10FFFF) and no C0/C1 control
// characters: names end up in logs and on screens.
bool IsCleanUtf8(std::string_view s) {
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  static constexpr unsigned kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  size_t i = 0;
  while (i < s.size()) {
    auto lead = static_cast<unsigned char>(s[i]);
    size_t n = Utf8Length(lead);
    if (n == 0 || s.size() - i < n) return false;
    uint32_t cp = lead & kLeadMask[n];
    for (size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;
    i += n;
  }
  return true;
}

Status CheckName(std::string_view field, std::string_view name, const ParseLimits& limits) {
  std::string f(field);
  if (name.empty()) return InvalidArgument(f + " is empty");
  if (name.size() > limits.max_name_bytes) {
    return InvalidArgument(f + " longer than " + std::to_string(limits.max_name_bytes) + " bytes");
  }
  if (name.front() == ' ' || name.back() == ' ') {
    return InvalidArgument(f + " has leading or trailing spaces");
  }
  if (!IsCleanUtf8(name)) return InvalidArgument(f + " is not clean UTF-8 text");
  return Status::Ok();
}

// TRE_R01 savoir-faire codes are 1-4 capital letters then 2-3 digits (SM54, SCD01, PAC00). Only
// the shape is checked: the public list the policy knows is a subset, and refusing a real
// extract for an unlisted savoir-faire would lock out every professional in it.
bool IsSpecialtyShape(std::string_view s) {
  size_t letters = 0;
  while (letters < s.size() && s[letters] >= 'A' && s[letters] <= 'Z') ++letters;
  size_t digits = s.size() - letters;
  return letters >= 1 && letters <= 4 && digits >= 2 && digits <= 3 && IsDigits(s.substr(letters));
}

std::vector<std::string_view> SplitColumns(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t bar = line.find('|', start);
    out.push_back(line.substr(start, bar == std::string_view::npos ? line.npos : bar - start));
    if (bar == std::string_view::npos) return out;
    start = bar + 1;
  }
}

Status CheckIdentity(const std::vector<std::string_view>& col) {
  if (col[0] != kRppsIdType) {
    return InvalidArgument("Type d'identifiant PP must be 8 (RPPS), got \"" + std::string(col[0]) +
                           "\"");
  }
  if (col[1].size() != 11 || !IsDigits(col[1])) {
    return InvalidArgument("Identifiant PP must be 11 digits");
  }
  // The Luhn digit catches a mistyped RPPS in a hand-edited file (cards.md §4).
  if (!crypto::RppsLuhnValid(col[1])) return InvalidArgument("RPPS fails its Luhn check");
  if (col[2] != "8" + std::string(col[1])) {
    return InvalidArgument("Identification nationale PP must be \"8\" + Identifiant PP");
  }
  return Status::Ok();
}

Result<DirectoryEntry> ParseLine(std::string_view line, const ParseLimits& limits) {
  std::vector<std::string_view> col = SplitColumns(line);
  if (col.size() != kColumns) {
    return InvalidArgument("expected " + std::to_string(kColumns) + " columns, got " +
                           std::to_string(col.size()));
  }
  CARNET_TRY(CheckIdentity(col));
  CARNET_TRY(CheckName("Nom d'exercice", col[3], limits));
  CARNET_TRY(CheckName("Prénom d'exercice", col[4], limits));
  if (!policy::IsProfessionCode(col[5])) {
    return InvalidArgument("Code profession \"" + std::string(col[5]) + "\" is not in TRE_G15");
  }
  if (!col[6].empty() && !IsSpecialtyShape(col[6])) {
    return InvalidArgument("Code savoir-faire \"" + std::string(col[6]) +
                           "\" is not a TRE_R01 code");
  }
  if (col[7] != "active" && col[7] != "inactive") {
    return InvalidArgument("Statut must be active or inactive");
  }
  return DirectoryEntry{std::string(col[2]), std::string(col[1]), std::string(col[3]),
                        std::string(col[4]), std::string(col[5]), std::string(col[6]),
                        col[7] == "active"};
}

}  // namespace

Result<Directory> Directory::Parse(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return OutOfRange("directory larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  if (text.empty()) return LineError(1, "empty file, expected the header line");
  // A missing final newline is what a truncated download looks like.
  if (text.back() != '\n') return InvalidArgument("the last line does not end with a newline");
  Directory d;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') return LineError(line_no, "CR before LF");
    if (line_no == 1) {
      if (line != kHeader) return LineError(1, "header is not the expected column list");
      continue;
    }
    if (line.empty()) return LineError(line_no, "empty line");
    if (d.entries_.size() == limits.max_entries) {
      return OutOfRange("line " + std::to_string(line_no) + ": more than " +
                        std::to_string(limits.max_entries) + " professionals");
    }
    auto entry = ParseLine(line, limits);
    if (!entry.ok()) return LineError(line_no, entry.status().message());
    auto [it, inserted] = d.index_.emplace(entry->id_nat, d.entries_.size());
    if (!inserted) {
      return LineError(line_no, "duplicate idNat " + entry->id_nat + " (first on line " +
                                    std::to_string(it->second + 2) + ")");
    }
    d.entries_.push_back(std::move(entry).value());
  }
  return d;
}

Result<Directory> Directory::Load(const std::string& path, const ParseLimits& limits) {
  CARNET_ASSIGN_OR_RETURN(std::string text, ReadFileLimited(path, limits.max_bytes));
  auto d = Parse(text, limits);
  if (!d.ok()) return d.status().Annotate(path);
  return d;
}

const DirectoryEntry* Directory::Lookup(std::string_view id_nat) const {
  auto it = index_.find(std::string(id_nat));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

Result<std::string> FormatDirectory(const std::vector<DirectoryEntry>& entries) {
  std::string out(kHeader);
  out += '\n';
  for (const DirectoryEntry& e : entries) {
    out += std::string(kRppsIdType) + "|" + e.rpps + "|" + e.id_nat + "|" + e.surname + "|" +
           e.given_name + "|" + e.profession + "|" + e.specialty + "|" +
           (e.active ? "active" : "inactive") + "\n";
  }
  // Whatever we write must read back: the same strict parser judges it.
  auto check = Directory::Parse(out);
  if (!check.ok()) return check.status().Annotate("formatting the directory (line 1 = header)");
  if (check->size() != entries.size()) return InvalidArgument("an entry spans several lines");
  return out;
}

Result<size_t> ImportDirectory(const std::string& src,
                               const std::string& dest,
                               const ParseLimits& limits) {
  CARNET_ASSIGN_OR_RETURN(std::string text, ReadFileLimited(src, limits.max_bytes));
  auto d = Directory::Parse(text, limits);
  if (!d.ok()) return d.status().Annotate(src);
  CARNET_TRY(WriteFileAtomically(dest, text, 0644));
  return d->size();
}

}  // namespace carnet::node::directory
