#include "node/store/key_file.h"

#include <CppUTest/TestHarness.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "crypto/core/random.h"
#include "node/store/store_test_util.h"

namespace carnet::node::store {
namespace {

void WriteFile(const std::string& path, size_t size, mode_t mode) {
  std::ofstream(path, std::ios::binary) << std::string(size, 'k');
  ::chmod(path.c_str(), mode);
}

}  // namespace

TEST_GROUP(KeyFile) { testing::TempDir dir; };

TEST(KeyFile, CreatesA0600FileAndLoadsTheSameKey) {
  std::string path = dir.File("kek");
  auto created = CreateKeyFile(path, crypto::Drbg::ForThread());
  CHECK_TRUE(created.ok());
  LONGS_EQUAL(kKekSize, created->size());
  struct stat st {};
  LONGS_EQUAL(0, ::stat(path.c_str(), &st));
  LONGS_EQUAL(0600, st.st_mode & 0777);
  LONGS_EQUAL(kKekSize, st.st_size);
  auto loaded = LoadKeyFile(path);
  CHECK_TRUE(loaded.ok());
  CHECK_TRUE(loaded->Equals(*created));
  // No temporary file is left behind.
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(KeyFile, TwoKeysDiffer) {
  auto a = CreateKeyFile(dir.File("a"), crypto::Drbg::ForThread());
  auto b = CreateKeyFile(dir.File("b"), crypto::Drbg::ForThread());
  CHECK_TRUE(a.ok() && b.ok());
  CHECK_FALSE(a->Equals(*b));
}

TEST(KeyFile, RefusesToOverwrite) {
  std::string path = dir.File("kek");
  auto first = CreateKeyFile(path, crypto::Drbg::ForThread());
  CHECK_TRUE(first.ok());
  auto second = CreateKeyFile(path, crypto::Drbg::ForThread());
  CHECK_TRUE(second.status().code() == StatusCode::kAlreadyExists);
  auto loaded = LoadKeyFile(path);
  CHECK_TRUE(loaded.ok() && loaded->Equals(*first));
}

TEST(KeyFile, RefusesAWorldReadableFile) {
  std::string path = dir.File("kek");
  WriteFile(path, kKekSize, 0644);
  auto loaded = LoadKeyFile(path);
  CHECK_TRUE(loaded.status().code() == StatusCode::kPermissionDenied);
  CHECK_TRUE(loaded.status().message().find("0644") != std::string::npos);
}

TEST(KeyFile, RefusesAGroupReadableFile) {
  std::string path = dir.File("kek");
  WriteFile(path, kKekSize, 0640);
  CHECK_TRUE(LoadKeyFile(path).status().code() == StatusCode::kPermissionDenied);
}

TEST(KeyFile, RefusesWrongSizes) {
  for (size_t size : {size_t{0}, size_t{31}, size_t{33}, size_t{64}}) {
    std::string path = dir.File("kek" + std::to_string(size));
    WriteFile(path, size, 0600);
    CHECK_TRUE(LoadKeyFile(path).status().code() == StatusCode::kDataLoss);
  }
}

TEST(KeyFile, MissingFileIsNotFound) {
  CHECK_TRUE(LoadKeyFile(dir.File("absent")).status().code() == StatusCode::kNotFound);
}

TEST(KeyFile, RefusesADirectory) {
  std::string path = dir.File("sub");
  ::mkdir(path.c_str(), 0700);
  CHECK_FALSE(LoadKeyFile(path).ok());
}

TEST(KeyFile, RefusesASymlink) {
  std::string target = dir.File("real");
  WriteFile(target, kKekSize, 0600);
  std::string link = dir.File("link");
  LONGS_EQUAL(0, ::symlink(target.c_str(), link.c_str()));
  CHECK_FALSE(LoadKeyFile(link).ok());
}

}  // namespace carnet::node::store
