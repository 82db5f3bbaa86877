#include "hal/keystore/key_store.h"

#include <CppUTest/TestHarness.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "hal/keystore/fake_key_store.h"

namespace carnet::hal::keystore {
namespace {

std::string MakeTempDir() {
  char tmpl[] = "/tmp/carnet-keystore-XXXXXX";
  const char* d = mkdtemp(tmpl);
  CHECK_TRUE(d != nullptr);
  return d;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  CHECK_EQUAL(0, lstat(path.c_str(), &st));
  return st.st_mode & 07777;
}

}  // namespace

TEST_GROUP(DirectoryKeyStore) {
  std::string parent;
  std::string dir;
  void setup() override {
    parent = MakeTempDir();
    dir = parent + "/keys";
  }
  void teardown() override { std::filesystem::remove_all(parent); }
  std::unique_ptr<DirectoryKeyStore> OpenStore() {
    auto ks = DirectoryKeyStore::Open(dir, {.create_if_missing = true});
    CHECK_TRUE_TEXT(ks.ok(), ks.status().ToString().c_str());
    return std::move(ks).value();
  }
};

TEST(DirectoryKeyStore, CreatesPrivateDirectoryAndFiles) {
  auto ks = OpenStore();
  LONGS_EQUAL(0700, ModeOf(dir));
  CHECK_TRUE(ks->Create("device-key", AsBytes("secret")).ok());
  LONGS_EQUAL(0600, ModeOf(dir + "/device-key"));
  auto got = ks->Get("device-key");
  CHECK_TRUE(got.ok());
  STRCMP_EQUAL("secret", ToString(*got).c_str());
}

TEST(DirectoryKeyStore, CreateNeverOverwritesReplaceDoes) {
  auto ks = OpenStore();
  CHECK_TRUE(ks->Create("k", AsBytes("one")).ok());
  LONGS_EQUAL(static_cast<int>(StatusCode::kAlreadyExists),
              static_cast<int>(ks->Create("k", AsBytes("two")).code()));
  STRCMP_EQUAL("one", ToString(*ks->Get("k")).c_str());
  CHECK_TRUE(ks->Replace("k", AsBytes("three")).ok());
  STRCMP_EQUAL("three", ToString(*ks->Get("k")).c_str());
  LONGS_EQUAL(0600, ModeOf(dir + "/k"));
}

TEST(DirectoryKeyStore, PersistsAcrossReopenAndLists) {
  {
    auto ks = OpenStore();
    CHECK_TRUE(ks->Create("b", AsBytes("2")).ok());
    CHECK_TRUE(ks->Create("a", AsBytes("1")).ok());
  }
  auto ks = OpenStore();
  auto names = ks->List();
  CHECK_TRUE(names.ok());
  LONGS_EQUAL(2, names->size());
  STRCMP_EQUAL("a", (*names)[0].c_str());
  STRCMP_EQUAL("b", (*names)[1].c_str());
  CHECK_TRUE(*ks->Contains("a"));
  CHECK_TRUE(ks->Delete("a").ok());
  CHECK_FALSE(*ks->Contains("a"));
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotFound), static_cast<int>(ks->Delete("a").code()));
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotFound),
              static_cast<int>(ks->Get("a").status().code()));
}

TEST(DirectoryKeyStore, RefusesOpenDirectory) {
  OpenStore();
  chmod(dir.c_str(), 0750);
  auto ks = DirectoryKeyStore::Open(dir, {});
  LONGS_EQUAL(static_cast<int>(StatusCode::kPermissionDenied),
              static_cast<int>(ks.status().code()));
  CHECK_TRUE(ks.status().message().find("0750") != std::string::npos);
}

TEST(DirectoryKeyStore, RefusesSymlinkedDirectory) {
  OpenStore();
  std::string link = parent + "/link";
  CHECK_EQUAL(0, symlink(dir.c_str(), link.c_str()));
  CHECK_FALSE(DirectoryKeyStore::Open(link, {}).ok());
}

TEST(DirectoryKeyStore, MissingDirectoryWithoutCreateIsNotFound) {
  auto ks = DirectoryKeyStore::Open(dir, {});
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotFound), static_cast<int>(ks.status().code()));
}

TEST(DirectoryKeyStore, RefusesEntryReadableByOthers) {
  auto ks = OpenStore();
  CHECK_TRUE(ks->Create("k", AsBytes("x")).ok());
  chmod((dir + "/k").c_str(), 0644);
  LONGS_EQUAL(static_cast<int>(StatusCode::kPermissionDenied),
              static_cast<int>(ks->Get("k").status().code()));
  CHECK_FALSE(ks->Contains("k").ok());
}

TEST(DirectoryKeyStore, RefusesSymlinkEntry) {
  auto ks = OpenStore();
  std::string outside = parent + "/outside";
  { std::ofstream(outside) << "planted"; }
  chmod(outside.c_str(), 0600);
  CHECK_EQUAL(0, symlink(outside.c_str(), (dir + "/k").c_str()));
  LONGS_EQUAL(static_cast<int>(StatusCode::kPermissionDenied),
              static_cast<int>(ks->Get("k").status().code()));
}

TEST(DirectoryKeyStore, RejectsBadNames) {
  auto ks = OpenStore();
  const char* bad[] = {"", ".hidden", "../x", "a/b", "sp ace", "\xc3\xa9"};
  for (const char* name : bad) {
    LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument),
                static_cast<int>(ks->Create(name, AsBytes("x")).code()));
  }
  CHECK_FALSE(ks->Create(std::string(65, 'a'), AsBytes("x")).ok());
  CHECK_TRUE(ks->Create(std::string(64, 'a'), AsBytes("x")).ok());
  CHECK_TRUE(ks->Create("outbox.key_v1-2", AsBytes("x")).ok());
}

TEST(DirectoryKeyStore, RejectsOversizedEntry) {
  auto ks = OpenStore();
  Bytes big(kMaxEntrySize + 1);
  LONGS_EQUAL(static_cast<int>(StatusCode::kOutOfRange),
              static_cast<int>(ks->Create("big", big).code()));
}

TEST(DirectoryKeyStore, RemovesStaleTemporaryFilesAndNeverListsThem) {
  OpenStore();
  std::string stale = dir + "/.tmp-device-key-99999";
  { std::ofstream(stale) << "half written"; }
  auto ks = OpenStore();
  CHECK_FALSE(std::filesystem::exists(stale));
  LONGS_EQUAL(0, ks->List()->size());
}

TEST_GROUP(FakeKeyStore){};

TEST(FakeKeyStore, SameContract) {
  FakeKeyStore ks;
  CHECK_TRUE(ks.Create("k", AsBytes("1")).ok());
  CHECK_FALSE(ks.Create("k", AsBytes("2")).ok());
  CHECK_TRUE(ks.Replace("k", AsBytes("2")).ok());
  STRCMP_EQUAL("2", ToString(*ks.Get("k")).c_str());
  CHECK_FALSE(ks.Create("../k", AsBytes("1")).ok());
  CHECK_TRUE(ks.Delete("k").ok());
  CHECK_FALSE(*ks.Contains("k"));
}

}  // namespace carnet::hal::keystore
