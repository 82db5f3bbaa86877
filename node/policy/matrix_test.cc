#include "node/policy/matrix.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace carnet::node::policy {
namespace {

constexpr char kHeader[] =
    "# comment\n"
    "version\tt1\n"
    "effective\t2024-01-01\n"
    "default\tno\tconservative\n"
    "class\t10\tCompte rendu\n"
    "class\t42\tPrescription\n"
    "type\t11488-4\t10\tConsult note\n"
    "type\t11502-2\t10\tLab report\n"
    "type\t57833-6\t42\tPrescription\n";

std::string LoadError(const std::string& body, bool with_header = true) {
  Result<HabilitationMatrix> m = LoadMatrix((with_header ? kHeader : "") + body, "m.tsv");
  return m.ok() ? "OK" : m.status().message();
}

bool Reads(const HabilitationMatrix& m, const char* p, const char* s, const char* t) {
  return m.Lookup(p, s, t).may_read;
}

}  // namespace

TEST_GROUP(Matrix){};

TEST(Matrix, EmbeddedMatrixLoadsAndSettlesTheDemoCells) {
  Result<HabilitationMatrix> m = LoadEmbeddedMatrix();
  CHECK_TRUE(m.ok());
  CHECK_FALSE(m->default_may_read());
  // A general practitioner reads everything medical, not the attestation de résidence.
  for (const MatrixType& t : m->types()) {
    CHECK_EQUAL(t.code != "ATTEST-RESID", Reads(*m, "10", "SM54", t.code.c_str()));
  }
  CHECK_TRUE(Reads(*m, "21", "", "57833-6"));     // pharmacist: medication prescription
  CHECK_TRUE(Reads(*m, "21", "", "60593-1"));     // pharmacist: dispensation
  CHECK_FALSE(Reads(*m, "21", "", "11488-4"));    // pharmacist: consult note (assumed no)
  CHECK_TRUE(Reads(*m, "40", "", "52040-3"));     // dentist: dental X-rays
  CHECK_FALSE(Reads(*m, "40", "", "EXPPAT_3"));   // dentist: directives anticipées (sourced)
  CHECK_TRUE(Reads(*m, "60", "", "15507-7"));     // nurse: CR urgences (sourced)
  CHECK_FALSE(Reads(*m, "60", "", "CERT_DECL"));  // nurse: certificates (sourced)
  CHECK_FALSE(Reads(*m, "91", "", "11488-4"));    // orthophoniste: no cell -> default
  CHECK(m->Lookup("91", "", "11488-4").cell == nullptr);
  for (const MatrixCell& c : m->cells()) CHECK_FALSE(c.citation.empty());
}

TEST(Matrix, MostSpecificCellWins) {
  Result<HabilitationMatrix> m = LoadMatrix(std::string(kHeader) +
                                                "cell\t10\t*\tclass:10\tyes\tsource\ta\n"
                                                "cell\t10\t*\t11502-2\tno\tassumed\tb\n"
                                                "cell\t10\tSM25\tclass:10\tno\tassumed\tc\n"
                                                "cell\t10\tSM25\t11488-4\tyes\tassumed\td\n",
                                            "m.tsv");
  CHECK_TRUE(m.ok());
  CHECK_TRUE(Reads(*m, "10", "", "11488-4"));       // (p,*,class)
  CHECK_FALSE(Reads(*m, "10", "", "11502-2"));      // (p,*,type) beats (p,*,class)
  CHECK_FALSE(Reads(*m, "10", "SM25", "11502-2"));  // (p,s,class) beats (p,*,type)
  CHECK_TRUE(Reads(*m, "10", "SM25", "11488-4"));   // (p,s,type)
  CHECK_TRUE(Reads(*m, "10", "SM54", "11488-4"));   // other specialty: profession cells
  CHECK_FALSE(Reads(*m, "10", "", "57833-6"));      // no cell: default
  CHECK_FALSE(Reads(*m, "10", "", "99999-9"));      // unknown type: default
  LONGS_EQUAL(11, m->Lookup("10", "", "11502-2").cell->line);
}

TEST(Matrix, RejectsMalformedFilesNamingTheLine) {
  STRCMP_EQUAL("OK", LoadError("cell\t10\t*\t11488-4\tyes\tsource\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: unknown profession code '99' (TRE_G15)",
               LoadError("cell\t99\t*\t11488-4\tyes\tsource\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: unknown specialty code 'SM99'",
               LoadError("cell\t10\tSM99\t11488-4\tyes\tsource\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: unknown (undeclared) type code '11506-3'",
               LoadError("cell\t10\t*\t11506-3\tyes\tsource\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: unknown class in 'class:31'",
               LoadError("cell\t10\t*\tclass:31\tyes\tsource\tx\n").c_str());
  STRCMP_EQUAL(
      "m.tsv:11: duplicate cell (first at line 10)",
      LoadError("cell\t10\t*\t11488-4\tyes\tsource\tx\ncell\t10\t*\t11488-4\tno\tsource\ty\n")
          .c_str());
  STRCMP_EQUAL("m.tsv:10: 'cell' record needs 7 tab-separated fields, got 6",
               LoadError("cell\t10\t*\t11488-4\tyes\tsource\n").c_str());
  STRCMP_EQUAL("m.tsv:10: expected yes or no, got 'maybe'",
               LoadError("cell\t10\t*\t11488-4\tmaybe\tsource\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: basis must be source or assumed",
               LoadError("cell\t10\t*\t11488-4\tyes\trumour\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: field 7 is empty",
               LoadError("cell\t10\t*\t11488-4\tyes\tsource\t\n").c_str());
  STRCMP_EQUAL("m.tsv:10: unknown record kind 'row'", LoadError("row\t1\n").c_str());
  STRCMP_EQUAL("m.tsv:10: unknown class code '77' (JDV_J57)", LoadError("class\t77\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: duplicate class '10'", LoadError("class\t10\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: duplicate type '11488-4'", LoadError("type\t11488-4\t10\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: type '60593-1': undeclared class '43'",
               LoadError("type\t60593-1\t43\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: malformed type code '1234-56'",
               LoadError("type\t1234-56\t10\tx\n").c_str());
  STRCMP_EQUAL("m.tsv:10: duplicate version record", LoadError("version\tt2\n").c_str());
}

TEST(Matrix, RejectsBadHeaders) {
  STRCMP_EQUAL("m.tsv: missing header (version, effective, default)", LoadError("", false).c_str());
  STRCMP_EQUAL("m.tsv:1: expected the header record 'version'",
               LoadError("effective\t2024-01-01\n", false).c_str());
  STRCMP_EQUAL("m.tsv:2: effective date must be YYYY-MM-DD",
               LoadError("version\tv\neffective\t2024-13-01\n", false).c_str());
  STRCMP_EQUAL(
      "m.tsv:3: expected yes or no, got 'perhaps'",
      LoadError("version\tv\neffective\t2024-01-01\ndefault\tperhaps\tx\n", false).c_str());
  STRCMP_EQUAL("m.tsv:1: 'version' record needs 2 tab-separated fields, got 3",
               LoadError("version\tv1\textra\n", false).c_str());
}

}  // namespace carnet::node::policy
