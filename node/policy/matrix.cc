#include "node/policy/matrix.h"

#include <algorithm>

#include "node/policy/codes.h"

namespace carnet::node::policy {

// Reads the file line by line; every error names "<file>:<line>: ".
class MatrixLoader {
 public:
  explicit MatrixLoader(std::string_view file_name) : file_(file_name) {}

  Result<HabilitationMatrix> Run(std::string_view text) {
    if (text.size() > kMaxBytes) return InvalidArgument(file_ + ": larger than 1 MiB");
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      ++line_;
      std::string_view line = text.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos = end + 1;
      if (line.empty() || line[0] == '#') continue;
      CARNET_TRY(Record(Split(line)));
    }
    if (header_ < 3)
      return InvalidArgument(file_ + ": missing header (version, effective, default)");
    return std::move(m_);
  }

 private:
  static constexpr size_t kMaxBytes = 1 << 20;

  static std::vector<std::string_view> Split(std::string_view line) {
    std::vector<std::string_view> f;
    size_t pos = 0;
    for (;;) {
      size_t tab = line.find('\t', pos);
      f.push_back(line.substr(pos, tab == std::string_view::npos ? tab : tab - pos));
      if (tab == std::string_view::npos) return f;
      pos = tab + 1;
    }
  }

  Status Error(const std::string& what) const {
    return InvalidArgument(file_ + ":" + std::to_string(line_) + ": " + what);
  }

  static std::string Show(std::string_view s) { return "'" + std::string(s.substr(0, 40)) + "'"; }

  Status Fields(const std::vector<std::string_view>& f, size_t n) const {
    if (f.size() != n) {
      return Error(Show(f[0]) + " record needs " + std::to_string(n) +
                   " tab-separated fields, got " + std::to_string(f.size()));
    }
    for (size_t i = 0; i < n; ++i) {
      if (f[i].empty()) return Error("field " + std::to_string(i + 1) + " is empty");
    }
    return Status::Ok();
  }

  Status Record(const std::vector<std::string_view>& f) {
    static constexpr std::string_view kHeader[] = {"version", "effective", "default"};
    if (header_ < 3) {
      if (f[0] != kHeader[header_])
        return Error("expected the header record " + Show(kHeader[header_]));
      ++header_;
    }
    if (f[0] == "version") return Version(f);
    if (f[0] == "effective") return Effective(f);
    if (f[0] == "default") return Default(f);
    if (f[0] == "class") return Class(f);
    if (f[0] == "type") return Type(f);
    if (f[0] == "cell") return Cell(f);
    return Error("unknown record kind " + Show(f[0]));
  }

  Status Version(const std::vector<std::string_view>& f) {
    if (!m_.version_.empty()) return Error("duplicate version record");
    CARNET_TRY(Fields(f, 2));
    m_.version_ = f[1];
    return Status::Ok();
  }

  Status Effective(const std::vector<std::string_view>& f) {
    if (seen_effective_) return Error("duplicate effective record");
    seen_effective_ = true;
    CARNET_TRY(Fields(f, 2));
    if (f[1].size() != 10) return Error("effective date must be YYYY-MM-DD");
    Result<UnixMillis> t = ParseRfc3339(std::string(f[1]));
    if (!t.ok()) return Error("effective date must be YYYY-MM-DD");
    m_.effective_ = *t;
    return Status::Ok();
  }

  Result<bool> YesNo(std::string_view v) const {
    if (v == "yes") return true;
    if (v == "no") return false;
    return Error("expected yes or no, got " + Show(v));
  }

  Status Default(const std::vector<std::string_view>& f) {
    if (seen_default_) return Error("duplicate default record");
    seen_default_ = true;
    CARNET_TRY(Fields(f, 3));
    CARNET_ASSIGN_OR_RETURN(m_.default_may_read_, YesNo(f[1]));
    m_.default_reason_ = f[2];
    return Status::Ok();
  }

  bool ClassDeclared(std::string_view code) const {
    return std::any_of(m_.classes_.begin(), m_.classes_.end(),
                       [&](const auto& c) { return c.first == code; });
  }

  Status Class(const std::vector<std::string_view>& f) {
    CARNET_TRY(Fields(f, 3));
    if (!IsClassCode(f[1])) return Error("unknown class code " + Show(f[1]) + " (JDV_J57)");
    if (ClassDeclared(f[1])) return Error("duplicate class " + Show(f[1]));
    m_.classes_.emplace_back(f[1], f[2]);
    return Status::Ok();
  }

  Status Type(const std::vector<std::string_view>& f) {
    CARNET_TRY(Fields(f, 4));
    if (!IsTypeCodeSyntax(f[1])) return Error("malformed type code " + Show(f[1]));
    if (m_.FindType(f[1]) != nullptr) return Error("duplicate type " + Show(f[1]));
    if (!ClassDeclared(f[2]))
      return Error("type " + Show(f[1]) + ": undeclared class " + Show(f[2]));
    m_.types_.push_back({std::string(f[1]), std::string(f[2]), std::string(f[3])});
    return Status::Ok();
  }

  Status CellTarget(std::string_view target) const {
    if (target.substr(0, 6) == "class:") {
      if (!ClassDeclared(target.substr(6))) return Error("unknown class in " + Show(target));
    } else if (m_.FindType(target) == nullptr) {
      return Error("unknown (undeclared) type code " + Show(target));
    }
    return Status::Ok();
  }

  Status Cell(const std::vector<std::string_view>& f) {
    CARNET_TRY(Fields(f, 7));
    if (!IsProfessionCode(f[1]))
      return Error("unknown profession code " + Show(f[1]) + " (TRE_G15)");
    if (f[2] != "*" && !IsSpecialtyCode(f[2])) return Error("unknown specialty code " + Show(f[2]));
    CARNET_TRY(CellTarget(f[3]));
    MatrixCell c;
    c.profession = f[1];
    c.specialty = f[2] == "*" ? "" : std::string(f[2]);
    c.type = f[3];
    CARNET_ASSIGN_OR_RETURN(c.may_read, YesNo(f[4]));
    if (f[5] != "source" && f[5] != "assumed") return Error("basis must be source or assumed");
    c.assumed = f[5] == "assumed";
    c.citation = f[6];
    c.line = line_;
    if (const MatrixCell* d = m_.Find(c.profession, c.specialty, c.type)) {
      return Error("duplicate cell (first at line " + std::to_string(d->line) + ")");
    }
    m_.cells_.push_back(std::move(c));
    return Status::Ok();
  }

  std::string file_;
  int line_ = 0;
  int header_ = 0;
  bool seen_effective_ = false;
  bool seen_default_ = false;
  HabilitationMatrix m_;
};

const MatrixType* HabilitationMatrix::FindType(std::string_view type_code) const {
  for (const auto& t : types_) {
    if (t.code == type_code) return &t;
  }
  return nullptr;
}

const MatrixCell* HabilitationMatrix::Find(std::string_view p,
                                           std::string_view s,
                                           std::string_view t) const {
  for (const auto& c : cells_) {
    if (c.profession == p && c.specialty == s && c.type == t) return &c;
  }
  return nullptr;
}

MatrixAnswer HabilitationMatrix::Lookup(std::string_view profession,
                                        std::string_view specialty,
                                        std::string_view type_code) const {
  const MatrixType* type = FindType(type_code);
  if (type == nullptr) return {default_may_read_, nullptr};
  const std::string by_class = "class:" + type->class_code;
  const MatrixCell* c = nullptr;
  if (!specialty.empty()) {
    c = Find(profession, specialty, type_code);
    if (c == nullptr) c = Find(profession, specialty, by_class);
  }
  if (c == nullptr) c = Find(profession, "", type_code);
  if (c == nullptr) c = Find(profession, "", by_class);
  if (c == nullptr) return {default_may_read_, nullptr};
  return {c->may_read, c};
}

Result<HabilitationMatrix> LoadMatrix(std::string_view text, std::string_view file_name) {
  return MatrixLoader(file_name).Run(text);
}

Result<HabilitationMatrix> LoadEmbeddedMatrix() {
  return LoadMatrix(EmbeddedMatrixText(), "habilitation_matrix.tsv (embedded)");
}

}  // namespace carnet::node::policy
