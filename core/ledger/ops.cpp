// The other audited changes: 照会番号 links, 保険証確認日, 公費/介護 entries, phones, staff.
#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::ledger {
using namespace detail;

int64_t LedgerStore::unlink_reference(const std::string& karte, const std::string& staff_id) {
    require_staff(staff_id);
    const std::string at = now();
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    sql::Stmt st(*db_, "SELECT id, reference_number FROM links WHERE karte = ? AND unlinked_at IS NULL");
    st.bind(1, karte);
    if (!st.step()) not_found("カルテ番号 " + karte + " has no 照会番号", "照会番号は未登録です。");
    Journal j(*db_);
    std::string number = st.text(1);
    j.update("links", st.integer(0), {{"unlinked_at", at}});
    int64_t id = write_audit(*db_, j, at, staff_id, "link.remove", karte, "照会番号の削除 " + number);
    tx.commit();
    return id;
}

int64_t LedgerStore::relink_reference(const std::string& number, const std::string& karte,
                                      const std::string& staff_id) {
    require_staff(staff_id);
    if (number.empty()) invalid("a 照会番号 is required", "照会番号を入力してください。");
    const std::string at = now();
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    Journal j(*db_);
    std::string from;
    sql::Stmt st(*db_, "SELECT id, karte FROM links WHERE reference_number = ? AND unlinked_at IS NULL AND karte <> ?");
    st.bind(1, number).bind(2, karte);
    if (st.step()) {
        from = st.text(1);
        j.update("links", st.integer(0), {{"unlinked_at", at}});
    }
    link_reference(*db_, j, karte, number, at);
    int64_t id = write_audit(*db_, j, at, staff_id, "link.move", karte,
                             "照会番号 " + number + (from.empty() ? "" : " カルテ番号 " + from + " から") + " 紐づけ");
    tx.commit();
    return id;
}

int64_t LedgerStore::confirm_card(const std::string& karte, const std::string& date, const std::string& staff_id) {
    require_staff(staff_id);
    const std::string at = now();
    const std::string day = date.empty() ? at.substr(0, 10) : date;
    require_date(day, "保険証確認日");
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    auto cur = current_card(*db_, karte);
    if (!cur) not_found("カルテ番号 " + karte + " has no current card", "現在の保険証が登録されていません。");
    Journal j(*db_);
    j.update("insurance_cards", cur->id, {{"card_checked_on", day}});
    int64_t id = write_audit(*db_, j, at, staff_id, "card.confirm", karte, "保険証確認日 " + day);
    tx.commit();
    return id;
}

int64_t LedgerStore::add_kouhi(const std::string& karte, const KouhiEntry& e, const std::string& staff_id) {
    require_staff(staff_id);
    if (e.futansha_number.empty()) invalid("公費負担者番号 is required", "公費負担者番号を入力してください。");
    require_date(e.valid_from, "valid_from");
    require_date(e.valid_until, "valid_until");
    const std::string at = now();
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    Journal j(*db_);
    j.insert("kouhi", {{"karte", karte},
                       {"futansha_number", e.futansha_number},
                       {"jukyusha_number", e.jukyusha_number},
                       {"valid_from", e.valid_from},
                       {"valid_until", e.valid_until},
                       {"note", e.note},
                       {"created_at", at}});
    int64_t id = write_audit(*db_, j, at, staff_id, "kouhi.add", karte, "公費 " + e.futansha_number);
    tx.commit();
    return id;
}

int64_t LedgerStore::add_kaigo(const std::string& karte, const KaigoEntry& e, const std::string& staff_id) {
    require_staff(staff_id);
    if (e.insurer_number.empty()) invalid("介護保険者番号 is required", "介護保険者番号を入力してください。");
    require_date(e.valid_from, "valid_from");
    require_date(e.valid_until, "valid_until");
    const std::string at = now();
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    Journal j(*db_);
    j.insert("kaigo", {{"karte", karte},
                       {"insurer_number", e.insurer_number},
                       {"insured_number", e.insured_number},
                       {"care_level", e.care_level},
                       {"valid_from", e.valid_from},
                       {"valid_until", e.valid_until},
                       {"created_at", at}});
    int64_t id = write_audit(*db_, j, at, staff_id, "kaigo.add", karte, "介護保険 " + e.insurer_number);
    tx.commit();
    return id;
}

int64_t LedgerStore::set_phones(const std::string& karte, const Phones& p, const std::string& staff_id) {
    require_staff(staff_id);
    const std::string at = now();
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    Json changes = Json::object();  // an empty value keeps the stored number: phones are never blanked
    if (!p.home.empty()) changes["phone_home"] = p.home;
    if (!p.contact.empty()) changes["phone_contact"] = p.contact;
    if (!p.mobile.empty()) changes["phone_mobile"] = p.mobile;
    sql::Stmt st(*db_, "SELECT id FROM patients WHERE karte = ?");
    st.bind(1, karte);
    st.step();
    Journal j(*db_);
    j.update("patients", st.integer(0), changes);
    int64_t id = write_audit(*db_, j, at, staff_id, "patient.phones", karte, "電話番号");
    tx.commit();
    return id;
}

int64_t LedgerStore::add_staff(const StaffMember& m, const std::string& by) {
    require_staff(by);
    if (m.id.empty()) invalid("a staff member needs an id", "職員IDを入力してください。");
    const std::string at = now();
    sql::Tx tx(*db_);
    if (staff(m.id)) conflict("staff " + m.id + " already exists", "職員ID " + m.id + " は既に登録されています。");
    Journal j(*db_);
    j.insert("staff", {{"id", m.id},
                       {"name", m.name},
                       {"role", m.role},
                       {"salt", m.salt},
                       {"hash", m.hash},
                       {"iterations", m.iterations},
                       {"failed_count", m.failed_count},
                       {"locked_until", m.locked_until},
                       {"active", int64_t(m.active ? 1 : 0)}});
    int64_t id = write_audit(*db_, j, at, by, "staff.add", "", "職員 " + m.id);
    tx.commit();
    return id;
}

int64_t LedgerStore::set_staff_active(const std::string& sid, bool active, const std::string& by) {
    require_staff(by);
    const std::string at = now();
    sql::Tx tx(*db_);
    if (!staff(sid)) not_found("no staff " + sid, "職員ID " + sid + " は登録されていません。");
    Journal j(*db_);
    j.update("staff", sid, {{"active", int64_t(active ? 1 : 0)}});
    int64_t id = write_audit(*db_, j, at, by, active ? "staff.activate" : "staff.deactivate", "", "職員 " + sid);
    tx.commit();
    return id;
}

int64_t LedgerStore::set_staff_passcode(const std::string& sid, const std::string& salt, const std::string& hash,
                                        int64_t iterations, const std::string& by) {
    require_staff(by);
    if (salt.empty() || hash.empty() || iterations <= 0)
        invalid("a passcode hash is required", "パスコードが設定されていません。");
    const std::string at = now();
    sql::Tx tx(*db_);
    if (!staff(sid)) not_found("no staff " + sid, "職員ID " + sid + " は登録されていません。");
    // The journal keeps neither salt nor hash: the audit row says only who changed whose passcode, and when.
    Journal j(*db_);
    j.update("staff", sid,
             {{"salt", salt},
              {"hash", hash},
              {"iterations", iterations},
              {"failed_count", int64_t(0)},
              {"locked_until", std::string()}});
    int64_t id = write_audit(*db_, j, at, by, "staff.passcode", "", "職員 " + sid + " のパスコード変更");
    tx.commit();
    return id;
}

void LedgerStore::set_lockout(const std::string& sid, int64_t failed_count, const std::string& locked_until) {
    sql::Stmt st(*db_, "UPDATE staff SET failed_count = ?, locked_until = ? WHERE id = ?");
    st.bind(1, failed_count).bind(2, locked_until).bind(3, sid);
    st.run();
    if (db_->changes() == 0) not_found("no staff " + sid, "職員ID " + sid + " は登録されていません。");
}

}  // namespace onshi::ledger
