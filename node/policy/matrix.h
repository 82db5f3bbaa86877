#pragma once
// The habilitation matrix as data (DESIGN §4; dmp-rules.md §1): who may READ which document
// type. Writing is never restricted by the matrix (dmp-rules.md §1.5).
//
// File format (habilitation_matrix.tsv; UTF-8, one record per line, fields separated by TABs,
// '#' starts a comment line, blank lines ignored). The first three records are the header:
//   version    <text>
//   effective  <YYYY-MM-DD>
//   default    no|yes   <why>                          for (profession, type) pairs not listed
// then, in any order (a type must be declared before a cell names it):
//   class  <classCode J57>  <label>
//   type   <typeCode J66>   <classCode>  <label>        the ASS_X16 type -> class map
//   cell   <profession G15> <specialty R01 | *> <typeCode | class:NN> yes|no  source|assumed
//   <citation>
// A `class:NN` cell covers every type of that class. Lookup takes the most specific cell:
// (profession, specialty, type) > (profession, specialty, class) > (profession, *, type) >
// (profession, *, class) > default. The loader rejects unknown codes, duplicate cells and
// malformed lines, naming "<file>:<line>".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::node::policy {

struct MatrixType {
  std::string code;
  std::string class_code;
  std::string label;
};

struct MatrixCell {
  std::string profession;
  std::string specialty;  // "" = any specialty
  std::string type;       // typeCode, or "class:NN"
  bool may_read = false;
  bool assumed = false;  // true: the public sources do not settle it
  std::string citation;
  int line = 0;
};

struct MatrixAnswer {
  bool may_read = false;
  const MatrixCell* cell = nullptr;  // nullptr: the default applied
};

class HabilitationMatrix {
 public:
  const std::string& version() const { return version_; }
  UnixMillis effective() const { return effective_; }
  bool default_may_read() const { return default_may_read_; }
  const std::string& default_reason() const { return default_reason_; }
  const std::vector<MatrixType>& types() const { return types_; }
  const std::vector<MatrixCell>& cells() const { return cells_; }

  const MatrixType* FindType(std::string_view type_code) const;
  MatrixAnswer Lookup(std::string_view profession,
                      std::string_view specialty,
                      std::string_view type_code) const;

 private:
  friend class MatrixLoader;
  const MatrixCell* Find(std::string_view p, std::string_view s, std::string_view t) const;

  std::string version_;
  UnixMillis effective_ = 0;
  bool default_may_read_ = false;
  std::string default_reason_;
  std::vector<std::pair<std::string, std::string>> classes_;
  std::vector<MatrixType> types_;
  std::vector<MatrixCell> cells_;
};

Result<HabilitationMatrix> LoadMatrix(std::string_view text, std::string_view file_name);

// The matrix file embedded at build time (node/policy/habilitation_matrix.tsv).
std::string_view EmbeddedMatrixText();
Result<HabilitationMatrix> LoadEmbeddedMatrix();

}  // namespace carnet::node::policy
