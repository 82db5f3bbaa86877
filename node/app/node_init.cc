// `carnet-node init`: lays out a node directory (node_init.h) and writes its files.
#include "node/app/node_init.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "crypto/x509/crl.h"
#include "node/app/node_init_material.h"
#include "node/config/config.h"
#include "node/store/key_file.h"

namespace carnet::node::app {
namespace {

using internal::Material;

Status Errno(const std::string& what) { return Unavailable(what + ": " + std::strerror(errno)); }

Result<bool> IsEmptyOrAbsent(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) return true;
    return Errno("opening " + path);
  }
  bool empty = true;
  while (dirent* e = readdir(dir)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) empty = false;
  }
  closedir(dir);
  return empty;
}

Status MakeDir(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) return Errno("creating " + path);
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return FailedPrecondition(path + " exists and is not a directory");
  }
  // An existing keys/ folder may have been made with a looser umask: tighten it.
  if (chmod(path.c_str(), mode) != 0) return Errno("chmod " + path);
  return Status::Ok();
}

std::string TimeStamp(UnixMillis now) {
  std::time_t t = static_cast<std::time_t>(now / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

class DirWriter {
 public:
  DirWriter(std::string dir, std::string stamp, InitReport* report)
      : dir_(std::move(dir)), stamp_(std::move(stamp)), report_(report) {}

  std::string Abs(const std::string& rel) const { return dir_ + "/" + rel; }

  // Moves an existing file aside, so that what init writes never destroys anything.
  Status MoveAside(const std::string& rel) {
    struct stat st {};
    if (lstat(Abs(rel).c_str(), &st) != 0) {
      return errno == ENOENT ? Status::Ok() : Errno("stat " + Abs(rel));
    }
    std::string backup = rel + ".replaced-" + stamp_;
    if (rename(Abs(rel).c_str(), Abs(backup).c_str()) != 0) return Errno("renaming " + Abs(rel));
    report_->replaced.push_back(rel + " -> " + backup);
    return Status::Ok();
  }

  Status Public(const std::string& rel, std::string_view data) {
    CARNET_TRY(MoveAside(rel));
    std::string path = Abs(rel);
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return Errno("creating " + path);
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = write(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fd);
        return Errno("writing " + path);
      }
      done += static_cast<size_t>(n);
    }
    if (fsync(fd) != 0 || close(fd) != 0) return Errno("closing " + path);
    report_->written.push_back(rel);
    return Status::Ok();
  }

  Status Key(const std::string& rel, const crypto::PrivateKey& key) {
    CARNET_TRY(MoveAside(rel));
    CARNET_TRY(key.WritePemFile(Abs(rel)));  // 0600, temporary file + rename
    report_->written.push_back(rel);
    return Status::Ok();
  }

  // The KEK is the one key never moved aside: a database next to it may need it.
  Status Kek(const std::string& rel, Random& rng) {
    struct stat st {};
    if (lstat(Abs(rel).c_str(), &st) == 0) {
      auto existing = store::LoadKeyFile(Abs(rel));
      if (!existing.ok()) {
        return existing.status().Annotate("existing KEK " + Abs(rel) + " kept but unusable");
      }
      report_->kept.push_back(rel);
      return Status::Ok();
    }
    auto kek = store::CreateKeyFile(Abs(rel), rng);
    if (!kek.ok()) return kek.status();
    report_->written.push_back(rel);
    return Status::Ok();
  }

 private:
  std::string dir_;
  std::string stamp_;
  InitReport* report_;
};

std::string CertsPem(const std::vector<crypto::Certificate>& certs) {
  std::string pem;
  for (const auto& c : certs) pem += c.ToPem();
  return pem;
}

Status WriteTrust(DirWriter& w, const internal::TrustMaterial& t) {
  CARNET_TRY(w.Public("trust/igc-root.crt.pem", CertsPem(t.igc_roots)));
  CARNET_TRY(w.Public("trust/igc-intermediate.crt.pem", CertsPem(t.igc_intermediates)));
  CARNET_TRY(w.Public("trust/igc.crl.der", ToString(t.igc_crl)));
  CARNET_TRY(w.Public("trust/igc-root.crl.der", ToString(t.igc_root_crl)));
  CARNET_TRY(w.Public("trust/vitale-ca.pub.pem", t.vitale_ca_pem));
  CARNET_TRY(w.Public("trust/ecps-provider.pub.pem", t.ecps_provider_pem));
  return Status::Ok();
}

std::vector<config::ConfigOverride> TrustOverrides(const internal::TrustMaterial& t) {
  return {
      {"trust.igc_roots", "trust/igc-root.crt.pem"},
      {"trust.igc_intermediates", "trust/igc-intermediate.crt.pem"},
      {"trust.igc_crls", "trust/igc.crl.der, trust/igc-root.crl.der"},
      {"trust.vitale_ca", "trust/vitale-ca.pub.pem"},
      {"trust.vitale_ca_reference", t.vitale_car},
      {"trust.ecps_provider_keys", "trust/ecps-provider.pub.pem"},
  };
}

Status WriteAll(DirWriter& w, const Material& m, Random& rng, InitReport* report) {
  CARNET_TRY(w.Kek("keys/kek.bin", rng));
  CARNET_TRY(w.Public("keys/operator-root.crt.pem", m.operator_root->ToPem()));
  if (m.operator_root_key) CARNET_TRY(w.Key("keys/operator-root.key.pem", *m.operator_root_key));
  CARNET_TRY(w.Public("keys/node.crt.pem", m.node_cert->ToPem()));
  CARNET_TRY(w.Key("keys/node.key.pem", *m.node_key));
  CARNET_TRY(w.Public("keys/terminal-ca.crt.pem", m.terminal_ca->ToPem()));
  CARNET_TRY(w.Key("keys/terminal-ca.key.pem", *m.terminal_ca_key));
  CARNET_TRY(w.Key("keys/trace-log.key.pem", *m.trace_key));
  CARNET_TRY(w.Public("keys/trace-log.pub.pem", m.trace_key->public_key().ToPem()));
  std::vector<config::ConfigOverride> overrides;
  if (m.trust) {
    CARNET_TRY(WriteTrust(w, *m.trust));
    overrides = TrustOverrides(*m.trust);
    report->trust_configured = true;
  }
  CARNET_ASSIGN_OR_RETURN(std::string conf, config::DefaultConfigText(overrides));
  return w.Public("node.conf", conf);
}

}  // namespace

Result<InitReport> InitNodeDirectory(const InitOptions& options, Random& rng, const Clock& clock) {
  if (options.dir.empty()) return InvalidArgument("no node directory given");
  CARNET_ASSIGN_OR_RETURN(bool empty, IsEmptyOrAbsent(options.dir));
  if (!empty && !options.force) {
    return AlreadyExists(options.dir +
                         " is not empty; use --force to re-initialise it (existing keys are "
                         "kept or moved aside, never overwritten)");
  }
  // Everything is read or generated before the first write.
  Result<Material> material = options.test_pki_dir.empty()
                                  ? internal::GenerateMaterial(options, rng, clock.Now())
                                  : internal::MaterialFromTestPki(options.test_pki_dir);
  if (!material.ok()) return material.status();

  CARNET_TRY(MakeDir(options.dir, 0750));
  CARNET_TRY(MakeDir(options.dir + "/keys", 0700));
  CARNET_TRY(MakeDir(options.dir + "/data", 0700));
  if (material->trust) CARNET_TRY(MakeDir(options.dir + "/trust", 0755));
  InitReport report;
  DirWriter writer(options.dir, TimeStamp(clock.Now()), &report);
  CARNET_TRY(WriteAll(writer, *material, rng, &report));
  // What init wrote must load: the same checks `serve` will make.
  auto loaded = config::LoadConfig(options.dir + "/node.conf");
  if (!loaded.ok()) return loaded.status().Annotate("the new node.conf does not load");
  return report;
}

std::string NextSteps(const InitOptions& options, const InitReport& report) {
  const std::string& d = options.dir;
  std::string s = "Next steps:\n";
  int n = 1;
  auto step = [&s, &n](const std::string& text) {
    s += "  " + std::to_string(n++) + ". " + text + "\n";
  };
  if (!report.trust_configured) {
    step("Configure the card trust anchors in " + d +
         "/node.conf [trust]: igc_roots, igc_intermediates, igc_crls (IGC-Santé), vitale_ca and "
         "vitale_ca_reference, ecps_provider_keys. `carnet-node serve` refuses to start "
         "without them.");
  }
  step("Back up " + d +
       "/keys/kek.bin apart from the database: without it no stored document "
       "can be read.");
  if (!options.test_pki_dir.empty()) {
    step("This node uses TEST keys from " + options.test_pki_dir + ": never put it in production.");
  } else {
    step("Move " + d + "/keys/operator-root.key.pem offline (it only signs CA certificates).");
  }
  step("Import the professionals' directory to " + d + "/data/directory.tsv.");
  step("Check the configuration: carnet-node config check " + d + "/node.conf");
  step("Start the node: carnet-node serve --config " + d + "/node.conf");
  step("Enroll each terminal (its CSR): carnet-node enroll-terminal --config " + d +
       "/node.conf REQUEST.csr; terminals pin " + d + "/keys/operator-root.crt.pem.");
  return s;
}

}  // namespace carnet::node::app
