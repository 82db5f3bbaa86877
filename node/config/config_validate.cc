// What node.conf points at must be there, and keys must be private. All the file-system
// checks of the configuration are in this file.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "node/config/config.h"
#include "node/config/config_options.h"

namespace carnet::node::config {
namespace {

enum class Kind {
  kFile,       // must exist, regular file
  kSecret,     // must exist, regular file, no access for group or others
  kDir,        // must exist, directory
  kCreatable,  // may be absent (created later); its directory must exist
};

struct FileRef {
  std::string name;  // "[tls] key"
  std::string path;
  Kind kind;
};

std::vector<FileRef> FilesOf(const NodeConfig& c) {
  std::vector<FileRef> refs = {
      {"[node] data_dir", c.node.data_dir, Kind::kDir},
      {"[tls] cert", c.tls.cert, Kind::kFile},
      {"[tls] key", c.tls.key, Kind::kSecret},
      {"[tls] terminal_ca", c.tls.terminal_ca, Kind::kFile},
      {"[tls] terminal_ca_key", c.tls.terminal_ca_key, Kind::kSecret},
      {"[trust] vitale_ca", c.trust.vitale_ca, Kind::kFile},
      {"[store] database", c.store.database, Kind::kCreatable},
      {"[store] kek_file", c.store.kek_file, Kind::kSecret},
      {"[trace] log_key", c.trace.log_key, Kind::kSecret},
      {"[trace] log_public_key", c.trace.log_public_key, Kind::kFile},
      {"[directory] file", c.directory.file, Kind::kCreatable},
      {"[terminals] registry", c.terminals.registry, Kind::kCreatable},
      {"[terminals] crl", c.terminals.crl, Kind::kFile},
  };
  auto add_list = [&refs](const char* name, const std::vector<std::string>& paths) {
    for (const std::string& p : paths) refs.push_back({name, p, Kind::kFile});
  };
  add_list("[trust] igc_roots", c.trust.igc_roots);
  add_list("[trust] igc_intermediates", c.trust.igc_intermediates);
  add_list("[trust] igc_crls", c.trust.igc_crls);
  add_list("[trust] ecps_provider_keys", c.trust.ecps_provider_keys);
  return refs;
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status CheckOne(const FileRef& ref) {
  std::string where = ref.name + " " + ref.path + ": ";
  struct stat st {};
  if (ref.kind == Kind::kCreatable) {
    if (stat(ref.path.c_str(), &st) == 0) {
      if (!S_ISREG(st.st_mode)) return FailedPrecondition(where + "exists but is not a file");
      return Status::Ok();
    }
    std::string parent = ParentOf(ref.path);
    if (stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return NotFound(where + "its directory " + parent + " does not exist");
    }
    return Status::Ok();
  }
  if (stat(ref.path.c_str(), &st) != 0) return NotFound(where + "does not exist");
  if (ref.kind == Kind::kDir) {
    if (!S_ISDIR(st.st_mode)) return FailedPrecondition(where + "is not a directory");
    return Status::Ok();
  }
  if (!S_ISREG(st.st_mode)) return FailedPrecondition(where + "is not a regular file");
  // A private key that group or others can read may already have been copied: refuse to use
  // it rather than sign with a key someone else may hold.
  if (ref.kind == Kind::kSecret && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return PermissionDenied(where + "mode " + mode +
                            " lets group or others access this key; check who read it, "
                            "then chmod 600");
  }
  return Status::Ok();
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8 in dotted-quad form: four decimal octets, the first 127.
  if (host.substr(0, 4) != "127.") return false;
  int parts = 0, digits = 0, value = 0;
  for (char ch : host) {
    if (ch == '.') {
      if (digits == 0) return false;
      ++parts;
      digits = value = 0;
    } else if (ch >= '0' && ch <= '9' && digits < 3) {
      value = value * 10 + (ch - '0');
      ++digits;
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return parts == 3 && digits > 0;
}

Status ValidateConfigFiles(const NodeConfig& config) {
  // Every problem at once: an operator fixing a new node should not have to rerun per file.
  Status first;
  std::string all;
  for (const FileRef& ref : FilesOf(config)) {
    if (ref.path.empty()) continue;  // optional and not configured (the parser allowed it)
    Status s = CheckOne(ref);
    if (s.ok()) continue;
    if (first.ok()) first = s;
    all += (all.empty() ? "" : "\n") + s.message();
  }
  if (first.ok()) return Status::Ok();
  std::string origin = config.config_file.empty() ? "configuration" : config.config_file;
  return Status(first.code(), origin + ": " + all);
}

Result<NodeConfig> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open configuration file " + path);
  std::string text(1 << 20 | 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return Unavailable("error reading " + path);
  std::string dir = ParentOf(path);
  CARNET_ASSIGN_OR_RETURN(NodeConfig config, ParseConfig(text, dir, path));
  config.config_file = internal::AbsolutePath(path);
  CARNET_TRY(ValidateConfigFiles(config));
  return config;
}

Status CheckReadyToServe(const NodeConfig& config) {
  std::vector<std::string> missing;
  if (config.trust.igc_roots.empty()) missing.push_back("[trust] igc_roots");
  if (config.trust.igc_crls.empty() && config.auth.require_crl) {
    missing.push_back("[trust] igc_crls (require_crl is on)");
  }
  if (config.trust.vitale_ca.empty()) missing.push_back("[trust] vitale_ca");
  if (config.trust.vitale_ca_reference.empty()) missing.push_back("[trust] vitale_ca_reference");
  if (missing.empty()) return Status::Ok();
  std::string list;
  for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
  return FailedPrecondition("not configured: " + list);
}

}  // namespace carnet::node::config
