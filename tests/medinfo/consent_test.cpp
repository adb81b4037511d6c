// The 閲覧同意 rule (docs/medinfo.md, "Consent"): read from the newest recorded OQS answer that carries the
// consent; valid only with flag 1 and AvailableTime still ahead.
#include <catch2/catch.hpp>

#include "core/medinfo/consent.hpp"
#include "core/oqs/messages.hpp"
#include "tests/ledger/ledger_test_util.hpp"
#include "tests/support/simulated_terminal.hpp"

using namespace onshi;
using namespace onshi::ledger;
using namespace onshi::ledger::test;
using onshi::medinfo::ConsentVerdict;
using onshi::oqs::medinfo::InfoKind;

namespace {

// A face result for 資格 七夫 with the given 薬剤 / 健診 consents ("" leaves the element out).
std::string face_xml(const std::string& drug_flag, const std::string& drug_until, const std::string& checkup_flag = "",
                     const std::string& checkup_until = "", oqs::Encoding e = oqs::Encoding::Utf8) {
    oqs::Message m;
    m.kind = oqs::MessageKind::Face;
    m.header.medical_institution_code = "1312345678";
    m.header.segment_of_result = "1";
    m.header.character_code_identifier = oqs::character_code_of(e);
    m.body.processing_result_status = "1";
    m.body.qualification_validity = "1";
    oqs::QualificationRecord r;
    r.name = "資格 七夫";
    r.birthdate = "19401011";
    if (!drug_flag.empty()) r.pharmacists = {drug_flag, "20240415090000", drug_until.empty() ? oqs::Text{} : drug_until};
    if (!checkup_flag.empty())
        r.specific_health_checkups = {checkup_flag, "20240415090000",
                                      checkup_until.empty() ? oqs::Text{} : checkup_until};
    m.body.results = std::vector<oqs::QualificationRecord>{r};
    return oqs::serialize(m, e);
}

struct Rig {
    TempDir dir{"onshi-medinfo-consent"};
    Clock clock;
    LedgerStore db;
    Rig() : db(open_with(dir.path / "l.sqlite", clock)) {
        db.apply(onshi::test::registration("7", "シカク ナナオ", "1940-10-11", "39470000", "", "1000007", ""), "S01");
    }
    void face(const std::string& raw, const std::string& at, CheckMethod method = CheckMethod::Face,
              const std::string& status = "valid") {
        NewCheck c;
        c.karte = "7";
        c.method = method;
        c.checked_at = at;
        c.status = status;
        c.raw_xml = raw;
        db.record_check(c, "S01");
    }
    medinfo::ConsentStatus at(const std::string& local, InfoKind k = InfoKind::Drug, bool diagnosis = false) {
        return medinfo::consent_status(db, "7", k, util::parse_local(local), diagnosis);
    }
};

}  // namespace

TEST_CASE("a consent is valid until its AvailableTime, then refused as expired") {
    Rig r;
    r.face(face_xml("1", "20240416090000"), "2024-04-15T09:00:00");
    auto ok = r.at("2024-04-15T10:00:00");
    CHECK(ok.verdict == ConsentVerdict::Valid);
    CHECK(ok.available_until == "20240416090000");
    CHECK(ok.check_id > 0);
    auto late = r.at("2024-04-16T09:00:00");
    CHECK(late.verdict == ConsentVerdict::Expired);
    CHECK(late.message_ja == "閲覧の有効期限が切れています");
    CHECK(late.reason_en.find("expired") != std::string::npos);
}

TEST_CASE("no consent, a refused one or one without AvailableTime is never valid") {
    Rig r;
    CHECK(r.at("2024-04-15T10:00:00").verdict == ConsentVerdict::NotGiven);  // nothing recorded
    r.face(face_xml("0", ""), "2024-04-15T09:00:00");
    auto no = r.at("2024-04-15T10:00:00");
    CHECK(no.verdict == ConsentVerdict::NotGiven);
    CHECK(no.message_ja == "薬剤情報の閲覧同意がありません。");
    r.face(face_xml("1", ""), "2024-04-15T09:10:00");
    CHECK(r.at("2024-04-15T10:00:00").verdict == ConsentVerdict::Expired);
    r.face(face_xml("2", "20991231235959"), "2024-04-15T09:20:00");  // 2 = 同意有効期限切れ
    CHECK(r.at("2024-04-15T10:00:00").verdict == ConsentVerdict::Expired);
}

TEST_CASE("each kind reads its own consent — 診療情報 needs DiagnosisInfo as well") {
    Rig r;
    r.face(face_xml("1", "20240416090000", "0", ""), "2024-04-15T09:00:00");
    CHECK(r.at("2024-04-15T10:00:00", InfoKind::Drug).verdict == ConsentVerdict::Valid);
    CHECK(r.at("2024-04-15T10:00:00", InfoKind::Checkup).verdict == ConsentVerdict::NotGiven);
    CHECK(r.at("2024-04-15T10:00:00", InfoKind::Checkup).message_ja == "特定健診情報の閲覧同意がありません。");
    auto both = r.at("2024-04-15T10:00:00", InfoKind::Drug, true);
    CHECK(both.verdict == ConsentVerdict::NotGiven);
    CHECK(both.element == "DiagnosisInfo");
}

TEST_CASE("the newest answer that carries the consent decides — answers without it are passed over") {
    Rig r;
    r.face(face_xml("1", "20240420000000"), "2024-04-15T09:00:00");
    r.face(face_xml("", ""), "2024-04-15T09:30:00", CheckMethod::Query);      // 単件照会: no consent element
    r.face("<not xml", "2024-04-15T09:40:00", CheckMethod::Visual);           // unreadable: says nothing
    r.face(face_xml("0", ""), "2024-04-15T09:50:00", CheckMethod::Face, "error");  // an error answer
    auto s = r.at("2024-04-15T10:00:00");
    CHECK(s.verdict == ConsentVerdict::Valid);
    CHECK(s.checked_at == "2024-04-15T09:00:00");
    r.face(face_xml("0", ""), "2024-04-16T09:00:00");  // the patient said no at the next visit
    CHECK(r.at("2024-04-16T10:00:00").verdict == ConsentVerdict::NotGiven);
}

TEST_CASE("a Shift_JIS face result, stored converted to UTF-8, is still read") {
    Rig r;
    const std::string sjis = face_xml("1", "20240416", "", "", oqs::Encoding::ShiftJis);
    r.face(oqs::to_utf8(sjis, oqs::Encoding::ShiftJis), "2024-04-15T09:00:00");
    auto s = r.at("2024-04-16T23:00:00");  // a date alone lasts the whole day
    CHECK(s.verdict == ConsentVerdict::Valid);
    CHECK(r.at("2024-04-17T00:00:00").verdict == ConsentVerdict::Expired);
}
