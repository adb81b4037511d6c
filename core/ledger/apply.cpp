// LedgerStore::apply: one staff decision (OverwritePlan) → one transaction with its audit row.
#include <set>

#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/rules/compare.hpp"
#include "core/rules/date.hpp"

namespace onshi::ledger {
using namespace detail;

namespace {

void validate(const OverwritePlan& plan) {
    std::set<Field> seen;
    for (const auto& fv : plan.fields) {
        if (int(fv.field) < 0 || int(fv.field) >= kFieldCount) invalid("unknown field in plan", "不正な項目です。");
        if (!seen.insert(fv.field).second)
            invalid(std::string("field given twice: ") + column_of(fv.field),
                    std::string("項目が重複しています: ") + to_japanese(fv.field));
        if (is_date_field(fv.field)) require_date(fv.value, column_of(fv.field));
        if (fv.field == Field::Sex && !fv.value.empty() && fv.value != "1" && fv.value != "2" && fv.value != "3")
            invalid("性別 must be 1, 2 or 3: '" + fv.value + "'", "性別が正しくありません。");
    }
    switch (plan.kind) {
        case PlanKind::RegisterPatient:
            if (!plan.karte.empty()) require_karte(plan.karte);
            break;
        case PlanKind::SwitchCard:
            require_karte(plan.karte);
            if (plan.switch_date.empty()) invalid("a 切替日 is required to switch cards", "切替日を入力してください。");
            require_date(plan.switch_date, "切替日");
            break;
        case PlanKind::ExtendOnly:
            require_karte(plan.karte);
            for (const auto& fv : plan.fields)
                if (fv.field != Field::ValidUntil && fv.field != Field::Edaban)
                    invalid(
                        std::string("extend-only changes 保険有効期限 and 枝番 only, not ") + column_of(fv.field),
                        std::string("有効期限の延長・枝番の追加では変更できない項目です: ") + to_japanese(fv.field));
            break;
        case PlanKind::RecordCheckOnly:
            require_karte(plan.karte);
            if (!plan.fields.empty())
                invalid("a check-only plan changes no field", "確認のみの記録では項目を変更できません。");
            break;
        case PlanKind::OverwriteFields: require_karte(plan.karte); break;
    }
    if (!plan.consents.empty() && !plan.check)
        invalid("consents need the check they were given in", "同意には資格確認が必要です。");
    if (plan.check) {
        require_date(plan.check->checked_at.substr(0, 10), "checked_at");
        for (const auto& c : plan.consents) {
            if (c.kind.empty()) invalid("a consent needs a kind", "同意の種類がありません。");
            require_date(c.expires_at.substr(0, 10), "consent expires_at");
        }
    }
}

Json patient_changes(const OverwritePlan& plan) {
    Json j = Json::object();
    for (const auto& fv : plan.fields) {
        if (!is_patient_field(fv.field)) continue;
        j[column_of(fv.field)] = fv.value;
        if (fv.field == Field::KanaName) j["kana_key"] = rules::kana_key(fv.value);
    }
    return j;
}

Json card_changes(const OverwritePlan& plan) {
    Json j = Json::object();
    for (const auto& fv : plan.fields)
        if (!is_patient_field(fv.field)) j[column_of(fv.field)] = fv.value;
    return j;
}

std::string summary_of(const OverwritePlan& plan) {
    std::string s = to_code(plan.kind);
    if (!plan.fields.empty()) {
        s += ":";
        for (const auto& fv : plan.fields) s += std::string(" ") + to_japanese(fv.field);
    }
    if (plan.kind == PlanKind::SwitchCard) s += " 切替日 " + plan.switch_date;
    if (plan.check) s += std::string(" 確認 ") + to_code(plan.check->method) + " 有効性 " + plan.check->validity;
    if (!plan.reference_number.empty()) s += " 照会番号 " + plan.reference_number;
    return s;
}

std::string next_karte_in(sql::Db& db) {
    sql::Stmt st(db, "SELECT karte FROM patients ORDER BY length(karte) DESC, karte DESC LIMIT 1");
    if (!st.step()) return "1";
    std::string k = st.text(0);  // decimal string increment: カルテ番号 stays a string
    int i = int(k.size()) - 1;
    while (i >= 0 && k[size_t(i)] == '9') k[size_t(i--)] = '0';
    if (i < 0)
        k.insert(k.begin(), '1');
    else
        ++k[size_t(i)];
    return k;
}

}  // namespace

std::string LedgerStore::next_karte() const { return next_karte_in(*db_); }

void detail::link_reference(sql::Db& db, Journal& j, const std::string& karte, const std::string& number,
                            const std::string& at) {
    sql::Stmt st(db,
                 "SELECT id, karte, reference_number FROM links WHERE unlinked_at IS NULL AND "
                 "(reference_number = ? OR karte = ?)");
    st.bind(1, number).bind(2, karte);
    while (st.step()) {
        if (st.text(1) == karte && st.text(2) == number) return;  // already linked
        if (st.text(1) != karte)
            conflict("照会番号 " + number + " is linked to カルテ番号 " + st.text(1) + "; unlink it first",
                     "この照会番号は別の患者様（カルテ番号 " + st.text(1) +
                         "）に紐づいています。先に照会番号を削除してください。");
        conflict(
            "カルテ番号 " + karte + " already has 照会番号 " + st.text(2) + "; unlink it first",
            "この患者様には別の照会番号（" + st.text(2) + "）が登録されています。先に照会番号を削除してください。");
    }
    j.insert("links", {{"karte", karte}, {"reference_number", number}, {"linked_at", at}});
}

ApplyResult LedgerStore::apply(const OverwritePlan& plan, const std::string& staff_id) {
    require_staff(staff_id);
    validate(plan);
    const std::string at = now();
    sql::Tx tx(*db_);
    // Compared under the writer lock: no other counter can change the patient between this and the commit.
    if (plan.base_version && !plan.karte.empty()) {
        const int64_t now_version = patient_version_in(*db_, plan.karte);
        if (now_version != *plan.base_version)
            throw LedgerError(ErrorCode::Stale,
                              "patient " + plan.karte + " was changed at another counter (version " +
                                  std::to_string(*plan.base_version) + ", now " + std::to_string(now_version) +
                                  "); recompute the diff",
                              kStaleMessageJa);
    }
    Journal j(*db_);
    ApplyResult r;
    r.karte = plan.karte;
    std::string checked_on;  // card_checked_on of r.card_id as read here, when it was ("" = not known)

    if (plan.kind == PlanKind::RegisterPatient) {
        if (r.karte.empty()) r.karte = next_karte_in(*db_);
        if (patient_exists(*db_, r.karte))
            conflict("カルテ番号 " + r.karte + " already exists",
                     "カルテ番号 " + r.karte + " は既に登録されています。");
        Json row = patient_changes(plan);
        row["karte"] = r.karte;
        row["created_at"] = at;
        j.insert("patients", row);
        Json card = card_changes(plan);
        if (!card.empty()) {
            card["karte"] = r.karte;
            card["created_at"] = at;
            r.card_id = j.insert("insurance_cards", card).get<int64_t>();
        }
    } else {
        sql::Stmt st(*db_, "SELECT id FROM patients WHERE karte = ?");
        st.bind(1, r.karte);
        if (!st.step())
            not_found("no patient with カルテ番号 " + r.karte,
                      "カルテ番号 " + r.karte + " の患者様は登録されていません。");
        const int64_t patient_id = st.integer(0);
        auto cur = current_card(*db_, r.karte);
        r.card_id = cur ? cur->id : 0;
        if (cur) checked_on = cur->card_checked_on;
        Json pchanges = patient_changes(plan), cchanges = card_changes(plan);

        if (plan.kind == PlanKind::SwitchCard) {
            auto sw = *rules::Date::from_iso(plan.switch_date);
            if (cur) {
                std::string end = sw.add_days(-1).iso();
                if (!cur->valid_from.empty() && end < cur->valid_from)
                    invalid(
                        "切替日 " + plan.switch_date + " is before the current card starts (" + cur->valid_from + ")",
                        "切替日が現在の保険証の有効開始日より前です。");
                j.update("insurance_cards", cur->id, {{"closed_on", end}});
            }
            if (!cchanges.contains("valid_from") || cchanges["valid_from"] == "")
                cchanges["valid_from"] = plan.switch_date;
            cchanges["karte"] = r.karte;
            cchanges["created_at"] = at;
            r.card_id = j.insert("insurance_cards", cchanges).get<int64_t>();
            checked_on.clear();
        } else if (!cchanges.empty()) {
            if (!cur)
                invalid("カルテ番号 " + r.karte + " has no current card to overwrite; switch to a new card instead",
                        "上書きする保険証がありません。保険証変更（切替日）で登録してください。");
            if (plan.kind == PlanKind::ExtendOnly && cchanges.contains("edaban") && !cur->edaban.empty() &&
                cur->edaban != cchanges["edaban"])
                invalid("枝番 " + cur->edaban + " is already set; changing it is an overwrite, not an addition",
                        "枝番は既に登録されています。変更する場合は上書きしてください。");
            j.update("insurance_cards", cur->id, cchanges);
            if (cchanges.contains("card_checked_on")) checked_on.clear();
        }
        if (!pchanges.empty()) j.update("patients", patient_id, pchanges);
    }

    if (plan.check) {
        const auto& c = *plan.check;
        std::string when = c.checked_at.empty() ? at : c.checked_at;
        if (plan.existing_check_id) {
            // One check row per answer: the row recorded already is this plan's check.
            auto cur = check(plan.existing_check_id);
            if (!cur || cur->karte != r.karte)
                invalid("check " + std::to_string(plan.existing_check_id) + " is not a check of カルテ番号 " + r.karte,
                        "確認の記録が患者様と一致しません。");
            r.check_id = cur->id;
            when = cur->checked_at;
        }
        Json row = {{"karte", r.karte},
                    {"card_id", r.card_id ? Json(r.card_id) : Json()},
                    {"checked_at", when},
                    {"method", to_code(c.method)},
                    {"validity", c.validity},
                    {"processing_status", c.processing_status},
                    {"result_code", c.result_code},
                    {"message", c.message},
                    {"raw_xml", c.raw_xml},
                    {"staff_id", staff_id},
                    {"status", derive_check_status(c.validity, c.processing_status, c.result_code, c.message)}};
        if (!plan.existing_check_id) r.check_id = j.insert("checks", row).get<int64_t>();
        // A check that finds the card 有効 is this month's 保険証確認.
        // (Not read again when the card read above already has that date: the update would change nothing.)
        if (c.validity == "1" && r.card_id && checked_on != when.substr(0, 10))
            j.update("insurance_cards", r.card_id, {{"card_checked_on", when.substr(0, 10)}});
        for (const auto& cs : plan.consents)
            j.insert("consents", {{"karte", r.karte},
                                  {"check_id", r.check_id},
                                  {"kind", cs.kind},
                                  {"value", cs.value},
                                  {"given_at", cs.given_at.empty() ? when : cs.given_at},
                                  {"expires_at", cs.expires_at}});
    }
    if (!plan.reference_number.empty()) link_reference(*db_, j, r.karte, plan.reference_number, at);

    r.audit_id =
        write_audit(*db_, j, at, staff_id, std::string("plan.") + to_code(plan.kind), r.karte, summary_of(plan));
    tx.commit();
    return r;
}

int64_t LedgerStore::undo(int64_t audit_id, const std::string& staff_id) {
    require_staff(staff_id);
    sql::Tx tx(*db_);
    auto entry = audit_entry(audit_id);
    if (!entry) not_found("no audit entry " + std::to_string(audit_id), "取り消す記録がありません。");
    if (entry->action == "staff.passcode")
        conflict("audit entry " + std::to_string(audit_id) +
                     " is a passcode change, which cannot be undone; set a new passcode",
                 "パスコードの変更は取り消せません。新しいパスコードを設定してください。");
    if (entry->action == "medinfo.fetch")  // the answer is kept read-only (docs/medinfo.md): nothing to take back
        conflict("audit entry " + std::to_string(audit_id) + " records a fetched 薬剤情報/特定健診情報, which is kept",
                 "取得した薬剤情報・特定健診情報の記録は取り消せません。");
    if (entry->undone_by)
        conflict(
            "audit entry " + std::to_string(audit_id) + " was already undone by " + std::to_string(*entry->undone_by),
            "この変更は既に取り消されています。");
    Journal j(*db_);
    try {
        j.reverse(entry->changes);
    } catch (const LedgerError& e) {
        if (e.code != ErrorCode::Conflict) throw;
        conflict(
            "cannot undo audit entry " + std::to_string(audit_id) + ": later changes depend on it (" + e.what() + ")",
            "後から変更されたため取り消せません。先に後の変更を取り消してください。");
    }
    int64_t id = write_audit(*db_, j, now(), staff_id, "undo", entry->karte,
                             "undo #" + std::to_string(audit_id) + " (" + entry->action + ")", audit_id);
    tx.commit();
    return id;
}

}  // namespace onshi::ledger
