#include "node/directory/directory.h"

#include <CppUTest/TestHarness.h>
#include <sys/stat.h>

#include <string>

#include "crypto/x509/pki.h"
#include "node/directory/atomic_file.h"
#include "node/directory/test_pki_directory.h"
#include "node/directory/testing.h"

namespace carnet::node::directory {
namespace {

using node::testing::ReadText;
using node::testing::TempDir;
using node::testing::WriteText;

const std::string kHead = std::string(kHeader) + "\n";
const std::string kGp = "8|99700100011|899700100011|DUBOIS|CLAIRE|10|SM54|active\n";
const std::string kPharma = "8|99700100029|899700100029|LEROY|ANTOINE|21||active\n";
const std::string kGone = "8|99700100037|899700100037|MOREAU|SOPHIE|40||inactive\n";

void CheckRejected(const std::string& text, const std::string& needle) {
  auto d = Directory::Parse(text);
  CHECK_TEXT(!d.ok(), ("accepted: " + text).c_str());
  CHECK_TEXT(d.status().message().find(needle) != std::string::npos, d.status().ToString().c_str());
}

// One bad line 3, after a good line 2: the error names line 3.
void CheckLineRejected(const std::string& bad_line, const std::string& needle) {
  CheckRejected(kHead + kGp + bad_line, "line 3: ");
  CheckRejected(kHead + kGp + bad_line, needle);
}

}  // namespace

TEST_GROUP(DirectoryParse){};

TEST(DirectoryParse, ParsesAndLooksUp) {
  auto d = Directory::Parse(kHead + kGp + kPharma + kGone);
  CHECK_TEXT(d.ok(), d.status().ToString().c_str());
  LONGS_EQUAL(3, d->size());
  const DirectoryEntry* gp = d->Lookup("899700100011");
  CHECK(gp != nullptr);
  STRCMP_EQUAL("99700100011", gp->rpps.c_str());
  STRCMP_EQUAL("DUBOIS", gp->surname.c_str());
  STRCMP_EQUAL("CLAIRE", gp->given_name.c_str());
  STRCMP_EQUAL("10", gp->profession.c_str());
  STRCMP_EQUAL("SM54", gp->specialty.c_str());
  CHECK(gp->active);
  STRCMP_EQUAL("", d->Lookup("899700100029")->specialty.c_str());
  CHECK(!d->Lookup("899700100037")->active);
  CHECK(d->Lookup("899700100045") == nullptr);
  CHECK(d->Lookup("99700100011") == nullptr);  // an RPPS is not an idNat
}

TEST(DirectoryParse, HeaderOnlyIsAnEmptyDirectory) {
  auto d = Directory::Parse(kHead);
  CHECK(d.ok());
  LONGS_EQUAL(0, d->size());
}

TEST(DirectoryParse, AcceptsUtf8Names) {
  auto d = Directory::Parse(kHead + "8|99700100011|899700100011|LE BRIS-ÉMERY|HÉLÈNE|10||active\n");
  CHECK_TEXT(d.ok(), d.status().ToString().c_str());
  STRCMP_EQUAL("HÉLÈNE", d->Lookup("899700100011")->given_name.c_str());
}

TEST(DirectoryParse, RejectsFileShape) {
  CheckRejected("", "line 1: empty file");
  CheckRejected("idNat|profession\n" + kGp, "line 1: header");
  CheckRejected(kHead + "8|99700100011|899700100011|DUBOIS|CLAIRE|10|SM54|active",
                "does not end with a newline");
  CheckRejected(std::string(kHeader) + "\r\n" + kGp, "line 1: CR before LF");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21||active\r\n", "CR before LF");
  CheckLineRejected("\n", "empty line");
}

TEST(DirectoryParse, RejectsColumnCount) {
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21|active\n", "expected 8 columns");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21|||active\n",
                    "expected 8 columns, got 9");
}

TEST(DirectoryParse, RejectsIdentifiers) {
  CheckLineRejected("0|99700100029|899700100029|LEROY|ANTOINE|21||active\n",
                    "Type d'identifiant PP must be 8");
  CheckLineRejected("8|9970010002|89970010002|LEROY|ANTOINE|21||active\n", "11 digits");
  CheckLineRejected("8|9970010002X|89970010002X|LEROY|ANTOINE|21||active\n", "11 digits");
  CheckLineRejected("8|99700100028|899700100028|LEROY|ANTOINE|21||active\n", "Luhn");
  CheckLineRejected("8|99700100029|899700100037|LEROY|ANTOINE|21||active\n",
                    "Identification nationale PP must be");
}

TEST(DirectoryParse, RejectsDuplicateIdNat) {
  CheckRejected(kHead + kGp + kPharma + kGp,
                "line 4: duplicate idNat 899700100011 (first on line 2)");
}

TEST(DirectoryParse, RejectsNames) {
  CheckLineRejected("8|99700100029|899700100029||ANTOINE|21||active\n", "Nom d'exercice is empty");
  CheckLineRejected("8|99700100029|899700100029|LEROY||21||active\n", "Prénom d'exercice is empty");
  CheckLineRejected("8|99700100029|899700100029| LEROY|ANTOINE|21||active\n",
                    "leading or trailing");
  CheckLineRejected("8|99700100029|899700100029|" + std::string(101, 'A') + "|ANTOINE|21||active\n",
                    "longer than 100 bytes");
  CheckLineRejected("8|99700100029|899700100029|LE\tROY|ANTOINE|21||active\n", "clean UTF-8");
  CheckLineRejected("8|99700100029|899700100029|LE\xC3(OY|ANTOINE|21||active\n", "clean UTF-8");
  CheckLineRejected("8|99700100029|899700100029|\xC0\xAF|ANTOINE|21||active\n", "clean UTF-8");
  CheckLineRejected("8|99700100029|899700100029|\xED\xA0\x80|ANTOINE|21||active\n", "clean UTF-8");
  CheckLineRejected("8|99700100029|899700100029|\xC2\x85|ANTOINE|21||active\n", "clean UTF-8");
}

TEST(DirectoryParse, RejectsCodesAndStatus) {
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|22||active\n", "not in TRE_G15");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|Médecin||active\n", "not in TRE_G15");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21|sm54|active\n", "not a TRE_R01");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21|54|active\n", "not a TRE_R01");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21|SM5|active\n", "not a TRE_R01");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21||actif\n", "active or inactive");
  CheckLineRejected("8|99700100029|899700100029|LEROY|ANTOINE|21||\n", "active or inactive");
}

TEST(DirectoryParse, RejectsOverLimits) {
  ParseLimits small;
  small.max_entries = 1;
  auto d = Directory::Parse(kHead + kGp + kPharma, small);
  LONGS_EQUAL(static_cast<int>(StatusCode::kOutOfRange), static_cast<int>(d.status().code()));
  small = ParseLimits{};
  small.max_bytes = kHead.size();
  d = Directory::Parse(kHead + kGp, small);
  LONGS_EQUAL(static_cast<int>(StatusCode::kOutOfRange), static_cast<int>(d.status().code()));
}

TEST(DirectoryParse, FormatRoundTripsAndRefusesBadEntries) {
  auto d = Directory::Parse(kHead + kGp + kPharma + kGone);
  CHECK(d.ok());
  auto text = FormatDirectory(d->entries());
  CHECK(text.ok());
  STRCMP_EQUAL((kHead + kGp + kPharma + kGone).c_str(), text->c_str());
  std::vector<DirectoryEntry> bad = d->entries();
  bad[1].surname = "LE|ROY";
  CHECK(!FormatDirectory(bad).ok());
  bad = d->entries();
  bad[0].given_name = "A\nB";
  CHECK(!FormatDirectory(bad).ok());
}

TEST_GROUP(DirectoryImport) { TempDir dir; };

TEST(DirectoryImport, ReplacesTheNodeCopy) {
  std::string dest = dir.File("directory.tsv");
  WriteText(dir.File("v1.tsv"), kHead + kGp);
  WriteText(dir.File("v2.tsv"), kHead + kGp + kPharma);
  auto n = ImportDirectory(dir.File("v1.tsv"), dest);
  CHECK_TEXT(n.ok(), n.status().ToString().c_str());
  LONGS_EQUAL(1, *n);
  n = ImportDirectory(dir.File("v2.tsv"), dest);
  LONGS_EQUAL(2, *n);
  STRCMP_EQUAL((kHead + kGp + kPharma).c_str(), ReadText(dest).c_str());
  auto loaded = Directory::Load(dest);
  CHECK(loaded.ok());
  CHECK(loaded->Lookup("899700100029") != nullptr);
  // No temporary file left behind.
  LONGS_EQUAL(3, std::distance(std::filesystem::directory_iterator(dir.path()),
                               std::filesystem::directory_iterator()));
}

TEST(DirectoryImport, BadFileChangesNothing) {
  std::string dest = dir.File("directory.tsv");
  WriteText(dir.File("good.tsv"), kHead + kGp);
  WriteText(dir.File("bad.tsv"), kHead + kPharma + kGp + kGp);
  CHECK(ImportDirectory(dir.File("good.tsv"), dest).ok());
  auto n = ImportDirectory(dir.File("bad.tsv"), dest);
  CHECK(!n.ok());
  CHECK(n.status().message().find("bad.tsv") != std::string::npos);
  CHECK(n.status().message().find("line 4: duplicate") != std::string::npos);
  STRCMP_EQUAL((kHead + kGp).c_str(), ReadText(dest).c_str());
  n = ImportDirectory(dir.File("missing.tsv"), dest);
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotFound), static_cast<int>(n.status().code()));
  STRCMP_EQUAL((kHead + kGp).c_str(), ReadText(dest).c_str());
}

TEST(DirectoryImport, AtomicWriteSetsModeAndFailsCleanly) {
  std::string path = dir.File("state.json");
  CHECK(WriteFileAtomically(path, "{}", 0600).ok());
  struct stat st {};
  LONGS_EQUAL(0, ::stat(path.c_str(), &st));
  LONGS_EQUAL(0600, st.st_mode & 0777);
  CHECK(!WriteFileAtomically(dir.File("no/such/folder/x"), "{}").ok());
  auto big = ReadFileLimited(path, 1);
  LONGS_EQUAL(static_cast<int>(StatusCode::kOutOfRange), static_cast<int>(big.status().code()));
  CHECK(!ReadFileLimited(dir.path(), 100).ok());  // a folder is not a file
}

TEST(DirectoryImport, GeneratedFromTestPkiIndex) {
  auto pki = crypto::BuildTestPki({std::string("node-directory-test"), true});
  CHECK_TEXT(pki.ok(), pki.status().ToString().c_str());
  CHECK(crypto::WriteTestPki(*pki, dir.File("pki"), false).ok());
  auto text = DirectoryFromTestPki(dir.File("pki/index.json"));
  CHECK_TEXT(text.ok(), text.status().ToString().c_str());
  auto d = Directory::Parse(*text);
  CHECK(d.ok());
  LONGS_EQUAL(pki->professionals.size(), d->size());
  for (const crypto::TestProfessional& p : pki->professionals) {
    const DirectoryEntry* e = d->Lookup(p.IdNat());
    CHECK(e != nullptr);
    STRCMP_EQUAL(p.profession.c_str(), e->profession.c_str());
    STRCMP_EQUAL(p.specialty.c_str(), e->specialty.c_str());
    CHECK(e->active);
  }
  auto same = FormatDirectory(EntriesFromTestPki(*pki));
  STRCMP_EQUAL(text->c_str(), same->c_str());
  WriteText(dir.File("other.json"), "{\"format\":\"something-else\"}");
  CHECK(!DirectoryFromTestPki(dir.File("other.json")).ok());
}

}  // namespace carnet::node::directory
