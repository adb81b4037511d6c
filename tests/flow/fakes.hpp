#pragma once
// In-memory ports for driving VisualConfirmFlow without devices, and a clock moved by hand.
#include <map>
#include <stdexcept>

#include "core/flow/visual_confirm_flow.hpp"
#include "core/ledger/error.hpp"

namespace onshi::flow::test {

struct ManualClock {
    int64_t now = 1627776000000;  // 2021-08-01 (UTC), a Sunday morning in Tokyo
    Clock fn() {
        return [this] { return now; };
    }
    void advance(int64_t ms) { now += ms; }
};

struct FakeCard : CardReader {
    int inspections = 0;
    std::vector<std::string> faces;  // 照合番号B values asked for, in order
    int floor = 2;
    void inspect() override { ++inspections; }
    void read_face(const std::string& number) override { faces.push_back(number); }
    int safety_floor() const override { return floor; }
};

struct FakeLedger : Ledger {
    std::vector<StaffEntry> staff = {{"S01", "受付 花子"}};
    std::map<std::string, std::string> passcodes = {{"S01", "246810"}};
    std::map<std::string, int> failures;
    diff::MatchResult next_match;
    std::map<std::string, ledger::PatientRecord> patients;
    std::vector<std::pair<ledger::OverwritePlan, std::string>> applied;
    bool refuse = false;
    bool unavailable = false;  // the ledger server cannot be reached
    PasscodePolicy policy;

    std::vector<StaffEntry> active_staff() override { return staff; }
    AuthResult verify_staff(const std::string& id, const std::string& digits) override {
        AuthResult r;
        if (passcodes[id] == digits) {
            r.outcome = AuthOutcome::Accepted;
            return r;
        }
        r.outcome = ++failures[id] >= 5 ? AuthOutcome::Locked : AuthOutcome::Wrong;
        r.locked_for_ms = r.outcome == AuthOutcome::Locked ? 30 * 60 * 1000 : 0;
        r.message_ja = "パスコードが違います。";
        return r;
    }
    int64_t staff_locked_for_ms(const std::string&) override { return 0; }
    PasscodePolicy passcode_policy() const override { return policy; }
    diff::MatchResult match(const oqs::QualificationResult&, size_t) override { return next_match; }
    std::optional<ledger::PatientRecord> patient(const std::string& karte) override {
        auto it = patients.find(karte);
        if (it == patients.end()) return std::nullopt;
        return it->second;
    }
    // Each patient's version (LedgerStore::patient_version); a plan on another one is refused as stale.
    std::map<std::string, int64_t> versions;
    int64_t patient_version(const std::string& karte) override { return versions[karte]; }
    ledger::ApplyResult apply(const ledger::OverwritePlan& plan, const std::string& staff_id) override {
        if (refuse) throw ledger::LedgerError(ledger::ErrorCode::Conflict, "conflict", "ほかの端末で変更されました。");
        if (unavailable) throw ledger::LedgerError(ledger::ErrorCode::Unavailable, "unreachable", "原簿サーバーに接続できません。");
        if (plan.base_version && *plan.base_version != versions[plan.karte])
            throw ledger::LedgerError(ledger::ErrorCode::Stale, "stale", ledger::kStaleMessageJa);
        applied.emplace_back(plan, staff_id);
        ledger::ApplyResult r;
        r.audit_id = int64_t(applied.size());
        r.karte = plan.karte;
        return r;
    }
    std::vector<std::pair<int64_t, std::string>> marked;  // mark_visual_check: check id, staff
    std::vector<std::string> marked_reasons;               // … and the 目視確認の理由 code
    int64_t mark_visual_check(int64_t check_id, const std::string& staff_id, const std::string& reason) override {
        if (refuse) throw ledger::LedgerError(ledger::ErrorCode::Conflict, "conflict", "ほかの端末で変更されました。");
        marked.emplace_back(check_id, staff_id);
        marked_reasons.push_back(reason);
        return int64_t(marked.size());
    }
};

// 資格 一郎 as the ledger holds him: insurer 139980, 記号 萩う10.
inline ledger::PatientRecord ichiro() {
    ledger::PatientRecord r;
    r.patient = {"13", "資格　一郎", "シカク イチロウ", "1", "1960-06-02", "1000014", "東京都千代田区永田町1-99-99",
                 {}};
    ledger::InsuranceCard c;
    c.id = 1;
    c.insurer_number = "139980";
    c.kigo = "萩う10";
    c.bango = "1639960291x001";
    c.edaban = "01";
    c.relationship = "1";
    c.insured_name = "資格　一郎";
    c.valid_from = "2012-04-01";
    c.issued_on = "2012-04-01";
    r.cards.push_back(c);
    return r;
}

// The OQS answer for him: the same card, or (insurer 133033) the new one from 2021-08-01.
inline oqs::QualificationResult answer_for_ichiro(const std::string& insurer = "139980") {
    oqs::QualificationResult res;
    res.status = oqs::Status::Valid;
    res.validity = "1";
    oqs::QualificationRecord q;
    q.insurer_number = insurer;
    q.insured_card_symbol = insurer == "139980" ? "萩う10" : "葛う10";
    q.insured_identification_number = "1639960291x001";
    q.insured_branch_number = "01";
    q.personal_family_classification = "1";
    q.name = "資格　一郎";
    q.insured_name = "資格　一郎";
    q.name_kana = "ｼｶｸ ｲﾁﾛｳ";
    q.sex1 = "1";
    q.birthdate = "19600602";
    q.post_number = "100-0014";
    q.address = "東京都千代田区永田町1-99-99";
    q.reference_number = "A1_1510110016";
    q.insured_card_valid_date = insurer == "139980" ? "20120401" : "20210801";
    q.qualification_date = insurer == "139980" ? "20120401" : "20210801";
    q.insured_certificate_issuance_date = insurer == "139980" ? "20120401" : "20200801";
    res.records.push_back(q);
    return res;
}

// A face/ result as the kiosk hands it to the visit; received_ms 0: "now" by the flow's clock.
inline in::FaceResult face_result(
    oqs::QualificationResult r, int64_t received_ms = 0,
    std::string file = "OQSsiquc01res_face_131234567800112233445566778899aa_20210801090000.xml") {
    r.file = file;
    return in::FaceResult{std::move(file), std::move(r), "<face/>", received_ms};
}

// 資格 五郎: somebody else (another birth date), whose result may land while 資格 一郎 is waited for.
inline oqs::QualificationResult answer_for_goro() {
    oqs::QualificationResult res = answer_for_ichiro("133033");
    auto& q = res.records[0];
    q.name = "資格　五郎";
    q.name_kana = "ｼｶｸ ｺﾞﾛｳ";
    q.birthdate = "19900101";
    q.insured_identification_number = "1639960291x005";
    return res;
}

// 該当資格なし: a face result with no record, naming nobody.
inline oqs::QualificationResult answer_not_found() {
    oqs::QualificationResult res;
    res.status = oqs::Status::NotFound;
    res.validity = "4";
    return res;
}

// Through 顔認証付きカードリーダーへ, one instruction at a time, to 結果待ち.
inline void guide_to_wait(VisualConfirmFlow& flow) {
    for (size_t i = 0; i < guidance_steps().size(); ++i) flow.handle(in::GuidanceNext{});
}

}  // namespace onshi::flow::test
