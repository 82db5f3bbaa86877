#include "tests/bench/crypto_bound.h"

#include <thread>

#include "crypto/core/hash.h"
#include "crypto/cose/sign1.h"
#include "crypto/x509/presence_proof.h"
#include "crypto/x509/trust_store.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "node/store/envelope.h"

namespace carnet::bench {
namespace {

struct Fixture {
  crypto::TrustStore terminal_trust;  // terminal CA (node/authn check 2)
  crypto::TrustStore igc;             // IGC-Santé root + intermediate + CRLs (check 5a)
  std::vector<crypto::Certificate> terminal;
  crypto::VitaleTrust vitale;
  crypto::SecretBytes kek{32};
  Bytes wrapped_patient_key;

  explicit Fixture(const PkiFiles& pki)
      : vitale{
            Must(crypto::PublicKey::FromPem(ToString(ReadFileBytes(pki.Path("vitale/ca.pub.pem")))),
                 "Vitale CA key"),
            "FRVITALETESTCA01"} {
    terminal.push_back(LoadCert(pki.TerminalCert("TERM-0001")));
    MustOk(terminal_trust.AddRootPemFile(pki.TerminalCaCert()), "terminal CA");
    MustOk(igc.AddRootPemFile(pki.Path("igc/root.crt.pem")), "IGC root");
    MustOk(igc.AddIntermediate(LoadCert(pki.Path("igc/intermediate.crt.pem"))), "IGC inter");
    MustOk(igc.AddCrlPemOrDerFile(pki.Path("igc/crl.der")), "IGC CRL");
    MustOk(igc.AddCrlPemOrDerFile(pki.Path("igc/root-crl.der")), "IGC root CRL");
    MustOk(SystemRandom::Instance().Fill(kek.mutable_view()), "KEK");
    wrapped_patient_key =
        Must(node::store::NewWrappedPatientKey(kek, SystemRandom::Instance()), "patient key");
  }
};

struct Step {
  std::string name;
  double seconds;         // per call
  bool optional = false;  // only when the request carries it (the Vitale proof)
};

// The primitives of one request; returns the steps with their cost (seconds per call).
std::vector<Step> RequestSteps(const Fixture& f,
                               const Signer& s,
                               const protocol::Request& request,
                               crypto::Purpose purpose,
                               bool deposit,
                               double seconds) {
  const Bytes cose = Sign(s, request);
  const auto opened = Must(protocol::OpenRequest(cose), "opening the signed request");
  const UnixMillis now = SystemClock::Instance().Now();
  std::vector<Step> steps;
  auto time = [&](std::string name, const std::function<void()>& fn, bool optional = false) {
    steps.push_back({std::move(name), TimePerCall(fn, seconds), optional});
  };
  time("terminal certificate chain (1 ECDSA P-256 verify)", [&] {
    MustOk(f.terminal_trust.Verify(f.terminal, crypto::Purpose::kTlsClient, now), "terminal");
  });
  time(Fmt("COSE RS256 + x5chain to IGC root with CRLs (%zu B payload)",
           opened.sign1.payload.size()),
       [&] {
         MustOk(crypto::cose::VerifyWithTrustStore(opened.sign1, f.igc, purpose, now, {}, true),
                "COSE verify");
       });
  const auto& proof = *request.patient.vitale;
  time(
      "Vitale presence proof, when sent (CVC + signature: 2 ECDSA P-256 verify)",
      [&] {
        Must(crypto::VerifyPresenceProof(proof.cvc, proof.signature, request.request_id, f.vitale,
                                         now),
             "presence proof");
      },
      true);
  time(Fmt("SHA-256 of the COSE bytes (%zu B, idempotency hash)", cose.size()),
       [&] { (void)crypto::Sha256(cose); });
  node::store::DocumentBinding binding{s.ins, "doc", 1};
  if (deposit) {
    const auto& content = std::get<protocol::DepositArgs>(opened.request.args).content;
    time(Fmt("SHA-256 of the content (%zu B, content_sha256 check)", content.size()),
         [&] { (void)crypto::Sha256(content); });
    time(Fmt("unwrap patient key + AES-256-GCM seal (%zu B)", content.size()), [&] {
      auto key = Must(node::store::UnwrapPatientKey(f.kek, f.wrapped_patient_key), "unwrap");
      Must(node::store::SealDocument(key, binding, content, SystemRandom::Instance()), "seal");
    });
  } else {
    auto key = Must(node::store::UnwrapPatientKey(f.kek, f.wrapped_patient_key), "unwrap");
    Bytes sealed =
        Must(node::store::SealDocument(key, binding, Bytes(4096, 0x42), SystemRandom::Instance()),
             "seal");
    time("unwrap patient key + AES-256-GCM open (4096 B)", [&] {
      auto k = Must(node::store::UnwrapPatientKey(f.kek, f.wrapped_patient_key), "unwrap");
      Must(node::store::OpenDocument(k, binding, sealed), "open");
    });
  }
  Bytes entry(320, 0x61);  // a trace entry is ~200-320 bytes of CBOR
  time("trace leaf hash (SHA-256 of 0x00 || 320 B entry)", [&] { (void)crypto::Sha256(entry); });
  return steps;
}

void AddBound(Table& table, const std::string& what, const std::vector<Step>& steps) {
  double total = 0, optional = 0;
  for (const Step& s : steps) {
    (s.optional ? optional : total) += s.seconds;
    table.Add("crypto bound", what + ": " + s.name, Fmt("%.3f ms", s.seconds * 1000),
              "CPU time, 1 thread");
  }
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  auto bound = [&](double t) {
    return Fmt("%.3f ms -> <= %.0f /s per core, <= %.0f /s on %.0f cores", t * 1000, 1 / t,
               cores / t, cores);
  };
  table.Add("crypto bound", what + ": sum without Vitale proof = bound", bound(total),
            "primitives only: no TLS records, no CBOR, no SQLite, no fsync");
  table.Add("crypto bound", what + ": sum with Vitale proof", bound(total + optional),
            "the node verifies a proof only when the request carries one");
}

}  // namespace

void MeasureCryptoBound(Table& table, const PkiFiles& pki, const Signer& s, double seconds) {
  Fixture f(pki);
  for (size_t size : {size_t{4096}, size_t{256 * 1024}}) {
    protocol::Request r = Deposit(s, s.ins, size, 1'000'000 + size);
    AddPresenceProof(s, r);
    AddBound(table, Fmt("deposit %zu KiB", size / 1024),
             RequestSteps(f, s, r, crypto::Purpose::kCardNonRepudiation, true, seconds));
  }
  protocol::Request read = Read(s, s.ins, "doc", 2'000'000);
  AddPresenceProof(s, read);
  AddBound(table, "read 4 KiB",
           RequestSteps(f, s, read, crypto::Purpose::kCardAuthentication, false, seconds));
  // Not per request: the node signs tree heads when asked (GET /v1/sth), not per append.
  auto log_key = LoadKey(pki.Path("trace/log.key.pem"));
  Bytes head(50, 0x01);
  double sth = TimePerCall(
      [&] {
        Must(log_key.Sign(crypto::SignatureScheme::kEs256, head, SystemRandom::Instance()), "STH");
      },
      seconds);
  table.Add("crypto bound", "signed tree head (ECDSA P-256 sign), not per request",
            Fmt("%.3f ms", sth * 1000), "CPU time; only if heads were signed per request");
}

}  // namespace carnet::bench
