#include "firmware/vitale/vitale_card.h"

#include <algorithm>
#include <set>

#include "crypto/x509/cvc.h"
#include "hal/card/apdu.h"

namespace carnet::fw::vitale {
namespace {

using hal::CommandApdu;
using hal::ResponseApdu;

constexpr uint8_t kInsSelect = 0xA4;
constexpr uint8_t kInsReadBinary = 0xB0;
constexpr uint8_t kInsInternalAuthenticate = 0x88;
constexpr uint32_t kChunk = 256;  // short Le; the card's 6Cxx tells the exact size
constexpr size_t kSignatureSize = 64;

Status CardSays(std::string_view what, uint16_t sw) {
  return DataLoss("Vitale card: " + std::string(what) + " answered " + hal::SwString(sw));
}

// One PC/SC transaction for the lifetime of the object, so another client cannot change the
// selected file between our SELECT and READ BINARY.
class Transaction {
 public:
  explicit Transaction(hal::CardReader& reader) : reader_(reader) {}
  ~Transaction() {
    if (begun_) reader_.EndTransaction().IgnoreError();
  }
  Status Begin() {
    CARNET_TRY(reader_.BeginTransaction());
    begun_ = true;
    return Status();
  }

 private:
  hal::CardReader& reader_;
  bool begun_ = false;
};

// "BENEF3  " -> 3; 0 when the name is not BENEFn with n in 1..15.
int BeneficiaryRank(std::string_view name) {
  constexpr std::string_view kPrefix = "BENEF";
  if (name.substr(0, kPrefix.size()) != kPrefix) return 0;
  int n = 0;
  for (char c : name.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
    if (n > 15) return 0;
  }
  return n;
}

std::string Trim(const std::string& s) {
  const size_t end = s.find_last_not_of(' ');
  return end == std::string::npos ? std::string() : s.substr(0, end + 1);
}

}  // namespace

Result<Bytes> VitaleCard::ReadFile(uint16_t fid) {
  Bytes id;
  AppendU16Be(id, fid);
  CARNET_ASSIGN_OR_RETURN(
      ResponseApdu sel, reader_.Transmit(CommandApdu::MakeData(0x00, kInsSelect, 0x02, 0x0C, id)));
  if (sel.sw == 0x6A82) return NotFound("Vitale card: file " + HexEncode(id) + " not found");
  if (!sel.ok()) return CardSays("SELECT " + HexEncode(id), sel.sw);
  Bytes out;
  for (;;) {
    if (out.size() > kMaxFileSize)
      return DataLoss("Vitale card: file " + HexEncode(id) + " too large");
    const auto offset = static_cast<uint16_t>(out.size());
    CARNET_ASSIGN_OR_RETURN(ResponseApdu r,
                            reader_.Transmit(CommandApdu::MakeLe(
                                0x00, kInsReadBinary, static_cast<uint8_t>(offset >> 8),
                                static_cast<uint8_t>(offset & 0xFF), kChunk)));
    // A file whose size is a multiple of the chunk ends with "offset out of range".
    if (r.sw == 0x6B00 && offset > 0 && r.data.empty()) break;
    if (!r.ok() && r.sw != 0x6282) return CardSays("READ BINARY " + HexEncode(id), r.sw);
    if (r.data.empty())
      return DataLoss("Vitale card: empty READ BINARY answer for " + HexEncode(id));
    if (r.data.size() > kChunk) return DataLoss("Vitale card: READ BINARY answered too much");
    Append(out, r.data);
    if (r.data.size() < kChunk || r.sw == 0x6282) break;
  }
  if (out.size() > kMaxFileSize)
    return DataLoss("Vitale card: file " + HexEncode(id) + " too large");
  return out;
}

Status VitaleCard::Read() {
  contents_ = {};
  card_key_.reset();
  authenticated_ = false;
  Transaction tx(reader_);
  CARNET_TRY(tx.Begin());
  Status s = ReadInTransaction();
  if (!s.ok()) contents_ = {};
  return s;
}

Status VitaleCard::ReadInTransaction() {
  CARNET_ASSIGN_OR_RETURN(
      ResponseApdu sel,
      reader_.Transmit(CommandApdu::MakeData(0x00, kInsSelect, 0x04, 0x0C, ByteView(kVitaleAid))));
  if (sel.sw == 0x6A82) return NotFound("not a Vitale card: no VITALE application");
  if (!sel.ok()) return CardSays("SELECT VITALE", sel.sw);
  CARNET_ASSIGN_OR_RETURN(Bytes map_file, ReadFile(0x2001));
  CARNET_ASSIGN_OR_RETURN(auto pointers, ParsePointerMap(map_file));
  std::set<std::string> seen;
  for (const PointerEntry& p : pointers) {
    const std::string name = Trim(p.name);
    if (!seen.insert(name).second) return DataLoss("pointer map (EF 2001): duplicate " + name);
    const int rank = BeneficiaryRank(name);
    if (name != "CARTE" && name != "ASSURE" && name != "CVCERTIF" && rank == 0) continue;
    auto read = ReadFile(p.fid);
    // A card without a certificate can still be read (and is refused by VerifyCertificate);
    // any other file the map names must exist.
    if (name == "CVCERTIF" && read.status().code() == StatusCode::kNotFound) continue;
    if (read.status().code() == StatusCode::kNotFound) return DataLoss(read.status().message());
    CARNET_ASSIGN_OR_RETURN(Bytes file, std::move(read));
    if (name == "CARTE") {
      CARNET_ASSIGN_OR_RETURN(contents_.card_valid_from, ParseCardInfo(file));
    } else if (name == "CVCERTIF") {
      if (file.size() > crypto::kMaxCvcBytes) return DataLoss("Vitale certificate too large");
      contents_.cvc = std::move(file);
    } else {
      CARNET_ASSIGN_OR_RETURN(VitaleIdentity id, ParseIdentity(file, rank));
      contents_.identities.push_back(std::move(id));
    }
  }
  if (seen.count("ASSURE") == 0) return NotFound("Vitale card: no insured (ASSURE) entry");
  std::sort(contents_.identities.begin(), contents_.identities.end(),
            [](const VitaleIdentity& a, const VitaleIdentity& b) { return a.rank < b.rank; });
  return Status();
}

Status VitaleCard::VerifyCertificate(const VitaleTrust& trust, UnixMillis now) {
  card_key_.reset();
  authenticated_ = false;
  if (contents_.identities.empty()) return FailedPrecondition("read the Vitale card first");
  if (contents_.cvc.empty()) return Unauthenticated("the Vitale card carries no certificate");
  auto cert = crypto::DecodeCvc(contents_.cvc);
  if (!cert.ok()) return Unauthenticated("Vitale certificate: " + cert.status().message());
  // Signature by the configured CA under its reference, validity on today's UTC date.
  Status s = crypto::VerifyCvc(*cert, trust.ca_public_key, trust.car, now);
  if (!s.ok()) return Unauthenticated("Vitale certificate: " + s.message());
  // The certificate binds the key to the insured's NIR; identity files naming someone else
  // (a genuine certificate copied next to forged identity data) are refused here.
  if (cert->fields.chr != contents_.identities.front().nir) {
    return Unauthenticated("Vitale certificate names another insured than the card's data");
  }
  CARNET_ASSIGN_OR_RETURN(auto key, crypto::CvcPublicKey(*cert));
  card_key_ = std::move(key);
  return Status();
}

Result<Bytes> VitaleCard::SignWithCard(ByteView data) {
  Transaction tx(reader_);
  CARNET_TRY(tx.Begin());
  CARNET_ASSIGN_OR_RETURN(
      ResponseApdu r, reader_.Transmit(CommandApdu::MakeDataLe(0x00, kInsInternalAuthenticate, 0x00,
                                                               0x00, data, kChunk)));
  if (!r.ok()) return CardSays("INTERNAL AUTHENTICATE", r.sw);
  if (r.data.size() != kSignatureSize) {
    return Unauthenticated("Vitale card: INTERNAL AUTHENTICATE answer is not a 64-byte signature");
  }
  return std::move(r.data);
}

Status VitaleCard::Authenticate(Random& rng) {
  authenticated_ = false;
  if (!card_key_) return FailedPrecondition("verify the Vitale certificate before authenticating");
  // Fresh and unpredictable, so an answer recorded from this card earlier cannot be replayed.
  CARNET_ASSIGN_OR_RETURN(Bytes challenge, rng.Generate(kChallengeSize));
  const uint64_t session = reader_.card_session();
  CARNET_ASSIGN_OR_RETURN(Bytes sig, SignWithCard(challenge));
  if (Status s = card_key_->Verify(crypto::SignatureScheme::kEs256, challenge, sig); !s.ok()) {
    return Unauthenticated("the Vitale card does not hold its certified key (" + s.message() + ")");
  }
  authenticated_ = true;
  session_ = session;
  return Status();
}

Result<VitaleProof> VitaleCard::PresenceProof(ByteView request_id) {
  if (!authenticated()) return FailedPrecondition("authenticate the Vitale card first");
  if (request_id.size() != kRequestIdSize) return InvalidArgument("request id must be 16 bytes");
  CARNET_ASSIGN_OR_RETURN(Bytes sig, SignWithCard(request_id));
  // Checked before it leaves the terminal: a bad proof would only be refused by the node later.
  if (Status s = card_key_->Verify(crypto::SignatureScheme::kEs256, request_id, sig); !s.ok()) {
    return Unauthenticated("the Vitale card's presence signature does not verify (" + s.message() +
                           ")");
  }
  return VitaleProof{std::move(sig), contents_.cvc};
}

}  // namespace carnet::fw::vitale
