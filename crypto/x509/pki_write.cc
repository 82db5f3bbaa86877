// Writing the test PKI to disk, with index.json describing every file and identity.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "crypto/x509/certificate_internal.h"
#include "crypto/x509/crl.h"
#include "crypto/x509/pki.h"
#include "hal/base/json.h"

namespace carnet::crypto {
namespace {

using json::Value;

Status Errno(const std::string& what) { return Unavailable(what + ": " + std::strerror(errno)); }

Status MakeDirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return Errno("mkdir " + prefix);
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return FailedPrecondition(path + " is not a directory");
  }
  return Status::Ok();
}

Result<bool> DirIsEmpty(const std::string& path) {
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

// Public files: replaced (unlink + create) so that a stale file's mode does not survive.
Status WritePublic(const std::string& path, ByteView data) {
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("removing " + path);
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
  if (close(fd) != 0) return Errno("closing " + path);
  return Status::Ok();
}

class Writer {
 public:
  explicit Writer(std::string root) : root_(std::move(root)) {}

  // Each returns the path relative to the output folder, as index.json names it.
  Result<std::string> Text(const std::string& rel, std::string_view text) {
    CARNET_TRY(Prepare(rel));
    CARNET_TRY(WritePublic(root_ + "/" + rel, AsBytes(text)));
    return rel;
  }
  Result<std::string> Binary(const std::string& rel, ByteView data) {
    CARNET_TRY(Prepare(rel));
    CARNET_TRY(WritePublic(root_ + "/" + rel, data));
    return rel;
  }
  Result<std::string> Key(const std::string& rel, const PrivateKey& key) {
    CARNET_TRY(Prepare(rel));
    CARNET_TRY(key.WritePemFile(root_ + "/" + rel));  // mode 0600
    return rel;
  }

 private:
  Status Prepare(const std::string& rel) {
    size_t slash = rel.rfind('/');
    return slash == std::string::npos ? Status::Ok() : MakeDirs(root_ + "/" + rel.substr(0, slash));
  }
  std::string root_;
};

// "<base>.crt.pem" and "<base>.key.pem"; sets "<field>_cert" / "<field>_key" in `obj`.
Status WritePair(Writer& w,
                 const std::string& base,
                 const CertAndKey& ck,
                 Value& obj,
                 const std::string& field = "") {
  std::string prefix = field.empty() ? "" : field + "_";
  CARNET_ASSIGN_OR_RETURN(std::string cert, w.Text(base + ".crt.pem", ck.cert.ToPem()));
  CARNET_ASSIGN_OR_RETURN(std::string key, w.Key(base + ".key.pem", ck.key));
  obj.Set(prefix + "cert", Value::String(cert));
  obj.Set(prefix + "key", Value::String(key));
  return Status::Ok();
}

Result<Value> WriteIgc(Writer& w, const TestPki& pki) {
  Value igc = Value::MakeObject();
  Value root = Value::MakeObject(), inter = Value::MakeObject();
  CARNET_TRY(WritePair(w, "igc/root", *pki.igc_root, root));
  CARNET_TRY(WritePair(w, "igc/intermediate", *pki.igc_intermediate, inter));
  igc.Set("root", std::move(root));
  igc.Set("intermediate", std::move(inter));
  CARNET_ASSIGN_OR_RETURN(
      std::string chain,
      w.Text("igc/chain.pem", pki.igc_intermediate->cert.ToPem() + pki.igc_root->cert.ToPem()));
  igc.Set("chain", Value::String(chain));
  CARNET_ASSIGN_OR_RETURN(std::string crl_der, w.Binary("igc/crl.der", pki.igc_crl));
  CARNET_ASSIGN_OR_RETURN(std::string crl_pem, w.Text("igc/crl.pem", CrlToPem(pki.igc_crl)));
  CARNET_ASSIGN_OR_RETURN(std::string rcrl_der, w.Binary("igc/root-crl.der", pki.igc_root_crl));
  CARNET_ASSIGN_OR_RETURN(std::string rcrl_pem,
                          w.Text("igc/root-crl.pem", CrlToPem(pki.igc_root_crl)));
  igc.Set("crl_der", Value::String(crl_der));
  igc.Set("crl_pem", Value::String(crl_pem));
  igc.Set("root_crl_der", Value::String(rcrl_der));
  igc.Set("root_crl_pem", Value::String(rcrl_pem));
  return igc;
}

Result<Value> WriteProfessional(Writer& w, const TestProfessional& p) {
  Value o = Value::MakeObject();
  o.Set("role", Value::String(p.role));
  o.Set("idnat", Value::String(p.IdNat()));
  o.Set("rpps", Value::String(p.rpps));
  o.Set("surname", Value::String(p.surname));
  o.Set("given_name", Value::String(p.given_name));
  o.Set("profession", Value::String(p.profession));
  o.Set("profession_label", Value::String(p.profession_label));
  o.Set("specialty", p.specialty.empty() ? Value() : Value::String(p.specialty));
  o.Set("specialty_label", p.specialty.empty() ? Value() : Value::String(p.specialty_label));
  o.Set("organization", Value::String(p.organization));
  const std::string dir = "professionals/" + p.rpps + "/";
  CARNET_TRY(WritePair(w, dir + "aut", *p.aut, o, "aut"));
  CARNET_ASSIGN_OR_RETURN(std::string aut_der, w.Binary(dir + "aut.crt.der", p.aut->cert.der()));
  o.Set("aut_cert_der", Value::String(aut_der));
  CARNET_TRY(WritePair(w, dir + "sig", *p.sig, o, "sig"));
  CARNET_ASSIGN_OR_RETURN(std::string sig_der, w.Binary(dir + "sig.crt.der", p.sig->cert.der()));
  o.Set("sig_cert_der", Value::String(sig_der));
  o.Set("revoked", Value::Bool(p.revoked));
  return o;
}

Value Person(const std::string& nir,
             const std::string& surname,
             const std::string& given,
             const std::string& birth) {
  Value o = Value::MakeObject();
  o.Set("nir", Value::String(nir.substr(0, 13)));
  o.Set("nir_key", Value::String(nir.substr(13)));
  o.Set("ins", Value::String(nir));
  o.Set("ins_oid", Value::String("1.2.250.1.213.1.4.10"));  // INS-NIR-TEST (cards.md §4)
  o.Set("surname", Value::String(surname));
  o.Set("given_name", Value::String(given));
  o.Set("birth_date", Value::String(birth));
  return o;
}

Result<Value> WriteVitale(Writer& w, const TestPki& pki) {
  Value v = Value::MakeObject();
  v.Set("car", Value::String(pki.vitale_car));
  CARNET_ASSIGN_OR_RETURN(std::string key, w.Key("vitale/ca.key.pem", *pki.vitale_ca_key));
  CARNET_ASSIGN_OR_RETURN(std::string pub,
                          w.Text("vitale/ca.pub.pem", pki.vitale_ca_key->public_key().ToPem()));
  v.Set("ca_key", Value::String(key));
  v.Set("ca_public_key", Value::String(pub));
  Value patients = Value::MakeArray();
  for (const TestPatient& p : pki.patients) {
    Value o = Person(p.nir, p.surname, p.given_name, p.birth_date);
    Value bens = Value::MakeArray();
    for (const TestBeneficiary& b : p.beneficiaries) {
      bens.Append(Person(b.nir, b.surname, b.given_name, b.birth_date));
    }
    o.Set("beneficiaries", std::move(bens));
    const std::string dir = "vitale/patients/" + p.nir + "/";
    CARNET_ASSIGN_OR_RETURN(std::string card_key, w.Key(dir + "card.key.pem", *p.card_key));
    CARNET_ASSIGN_OR_RETURN(std::string card_pub,
                            w.Text(dir + "card.pub.pem", p.card_key->public_key().ToPem()));
    CARNET_ASSIGN_OR_RETURN(std::string cvc, w.Binary(dir + "card.cvc", p.cvc));
    o.Set("card_key", Value::String(card_key));
    o.Set("card_public_key", Value::String(card_pub));
    o.Set("cvc", Value::String(cvc));
    patients.Append(std::move(o));
  }
  v.Set("patients", std::move(patients));
  return v;
}

Result<Value> WriteOperator(Writer& w, const TestPki& pki) {
  Value op = Value::MakeObject();
  CARNET_TRY(WritePair(w, "operator/root", *pki.operator_root, op, "root"));
  CARNET_TRY(WritePair(w, "operator/node", *pki.node, op, "node"));
  CARNET_TRY(WritePair(w, "operator/terminal-ca", *pki.terminal_ca, op, "terminal_ca"));
  Value terms = Value::MakeArray();
  const std::string ca_pem = pki.terminal_ca->cert.ToPem();
  for (const TestTerminal& t : pki.terminals) {
    Value o = Value::MakeObject();
    o.Set("id", Value::String(t.id));
    CARNET_TRY(WritePair(w, "operator/terminals/" + t.id, *t.credentials, o));
    CARNET_ASSIGN_OR_RETURN(std::string chain, w.Text("operator/terminals/" + t.id + ".chain.pem",
                                                      t.credentials->cert.ToPem() + ca_pem));
    o.Set("chain", Value::String(chain));
    terms.Append(std::move(o));
  }
  op.Set("terminals", std::move(terms));
  Value portal = Value::MakeObject();
  portal.Set("id", Value::String("PORTAL-0001"));
  CARNET_TRY(WritePair(w, "operator/portal", *pki.portal, portal));
  CARNET_ASSIGN_OR_RETURN(std::string chain,
                          w.Text("operator/portal.chain.pem", pki.portal->cert.ToPem() + ca_pem));
  portal.Set("chain", Value::String(chain));
  op.Set("portal", std::move(portal));
  return op;
}

Result<Value> WriteSigningKey(Writer& w, const std::string& base, const PrivateKey& key) {
  Value o = Value::MakeObject();
  CARNET_ASSIGN_OR_RETURN(std::string k, w.Key(base + ".key.pem", key));
  CARNET_ASSIGN_OR_RETURN(std::string pub, w.Text(base + ".pub.pem", key.public_key().ToPem()));
  o.Set("key", Value::String(k));
  o.Set("public_key", Value::String(pub));
  return o;
}

}  // namespace

Status WriteTestPki(const TestPki& pki, const std::string& outdir, bool force) {
  if (outdir.empty()) return InvalidArgument("empty output folder");
  CARNET_ASSIGN_OR_RETURN(bool empty, DirIsEmpty(outdir));
  if (!empty && !force) {
    return AlreadyExists(outdir + " is not empty (use --force to overwrite)");
  }
  CARNET_TRY(MakeDirs(outdir));
  Writer w(outdir);
  Value index = Value::MakeObject();
  index.Set("format", Value::String("carnet-test-pki/1"));
  index.Set("reproducible", Value::Bool(pki.reproducible));
  index.Set("not_before", Value::String(FormatRfc3339(pki.not_before)));
  index.Set("not_after", Value::String(FormatRfc3339(pki.not_after)));
  CARNET_ASSIGN_OR_RETURN(Value igc, WriteIgc(w, pki));
  index.Set("igc_sante", std::move(igc));
  Value pros = Value::MakeArray();
  for (const TestProfessional& p : pki.professionals) {
    CARNET_ASSIGN_OR_RETURN(Value o, WriteProfessional(w, p));
    pros.Append(std::move(o));
  }
  index.Set("professionals", std::move(pros));
  CARNET_ASSIGN_OR_RETURN(Value vitale, WriteVitale(w, pki));
  index.Set("vitale", std::move(vitale));
  CARNET_ASSIGN_OR_RETURN(Value op, WriteOperator(w, pki));
  index.Set("operator", std::move(op));
  CARNET_ASSIGN_OR_RETURN(Value trace, WriteSigningKey(w, "trace/log", *pki.trace_log_key));
  index.Set("trace_log", std::move(trace));
  CARNET_ASSIGN_OR_RETURN(Value ecps, WriteSigningKey(w, "ecps/provider", *pki.ecps_provider_key));
  index.Set("ecps_provider", std::move(ecps));
  return w.Text("index.json", json::Write(index) + "\n").status();
}

}  // namespace carnet::crypto
