#include "core/intake/face_intake.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <stdexcept>

#include "core/diff/patient_match.hpp"
#include "core/intake/check_record.hpp"
#include "core/intake/column_text.hpp"
#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"

namespace onshi::intake {

std::string sha256_hex(std::string_view bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr) != 1 || n != 32)
        throw std::runtime_error("SHA-256 failed");
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (unsigned i = 0; i < n; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

namespace {

void fill_from(FaceIntakeReport& r, const ledger::IntakeRecord& row, const ledger::LedgerStore& store) {
    r.malformed = row.outcome == "malformed";
    r.reason = row.reason;
    r.status_key = row.status;
    r.status = r.malformed ? "malformed" : status_word(row.status);
    r.karte = row.karte;
    r.match = row.match;
    if (row.check_id) r.check = store.check(row.check_id);  // gone when staff undid it
}

std::string match_code(const diff::MatchResult& m) {
    switch (m.kind) {
        case diff::MatchResult::Kind::Linked:
            if (m.candidates.empty()) return "none";
            if (m.candidates.front().by_reference) return "reference";
            return std::string("tier:") + rules::tier_name(m.candidates.front().tier);
        case diff::MatchResult::Kind::Choose: return "choose";
        case diff::MatchResult::Kind::None: return "none";
    }
    return "none";
}

}  // namespace

FaceIntakeReport take_in_face(ledger::LedgerStore& store, const FaceFile& file, const FaceIntakeOptions& opt) {
    FaceIntakeReport r;
    r.file = file.name;
    r.sha256 = sha256_hex(file.bytes);
    if (auto known = store.intake_by_sha256(r.sha256)) {
        fill_from(r, *known, store);
        return r;
    }

    ledger::IntakeRecord row;
    row.sha256 = r.sha256;
    row.file = file.name;
    row.raw = file.bytes;
    std::optional<ledger::NewCheck> check;
    try {
        oqs::ParsedFile parsed = oqs::parse_file(file.bytes, oqs::MessageKind::Face, opt.decode);
        oqs::QualificationResult result = oqs::qualification_result(parsed.message);
        const diff::MatchResult m = diff::match_patient(store, result);
        row.status = oqs::status_key(result.status);
        row.match = match_code(m);
        if (m.kind == diff::MatchResult::Kind::Choose)
            for (const auto& c : m.candidates) r.candidates.push_back(c.karte);
        if (m.kind == diff::MatchResult::Kind::Linked) {
            check = check_from_result(result);
            check->karte = m.karte;
            check->method = ledger::CheckMethod::Face;  // no element says 顔認証, 暗証番号 or 目視確認
            // Stored as text: the file's characters in UTF-8 (a Shift_JIS file converted, nothing else).
            check->raw_xml = oqs::to_utf8(file.bytes, parsed.document.encoding);
            row.outcome = "matched";
        } else {
            row.outcome = "unmatched";
        }
    } catch (const ledger::LedgerError&) {
        throw;  // the ledger failed, not the file: nothing is kept, the next run tries again
    } catch (const std::exception& e) {
        // Not a face result we can read: kept with its reason, so it is not tried again on every run.
        check.reset();
        r.candidates.clear();
        row.outcome = "malformed";
        row.status.clear();
        row.match.clear();
        row.reason = e.what();
    }

    auto taken = store.take_in(row, check, opt.staff_id);
    r.recorded = taken.recorded;
    fill_from(r, taken.row, store);
    if (!taken.recorded) r.candidates.clear();
    return r;
}

}  // namespace onshi::intake
