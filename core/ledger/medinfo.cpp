// 薬剤情報・特定健診情報 stored with the patient, and the answer to a 照会番号登録 (docs/medinfo.md).
// A fetched answer is never changed: the table's triggers refuse UPDATE and DELETE, and its audit row says who
// fetched it and when. The ledger stores what core/medinfo hands it; it does not parse OQS files.
#include <openssl/evp.h>

#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::ledger {
using namespace detail;

namespace {

constexpr int kMedinfoSchema = 5;  // the version that added the medinfo table

std::string sha256_hex(std::string_view bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr) != 1 || n != 32)
        invalid("SHA-256 failed", "ファイルの識別値を計算できません。");
    static const char hex[] = "0123456789abcdef";
    std::string s;
    for (unsigned i = 0; i < n; ++i) {
        s += hex[md[i] >> 4];
        s += hex[md[i] & 15];
    }
    return s;
}

const char* const kColumns = "id, karte, kind, format, request, file, fetched_at, staff_id, sha256, consent_until, audit_id";

MedinfoRecord read_row(const sql::Stmt& st, bool with_data) {
    MedinfoRecord r;
    r.id = st.integer(0);
    r.karte = st.text(1);
    r.kind = st.text(2);
    r.format = st.text(3);
    r.request = st.text(4);
    r.file = st.text(5);
    r.fetched_at = st.text(6);
    r.staff_id = st.text(7);
    r.sha256 = st.text(8);
    r.consent_until = st.text(9);
    r.audit_id = st.integer(10);
    if (with_data) {
        r.raw = st.text(11);
        r.parsed = st.text(12);
    }
    return r;
}

}  // namespace

MedinfoRecord LedgerStore::add_medinfo(const MedinfoRecord& row, const std::string& staff_id) {
    require_staff(staff_id);
    if (row.kind != "yzk" && row.kind != "tkk") invalid("unknown medinfo kind '" + row.kind + "'", "情報の種別が不正です。");
    if (row.format != "xml" && row.format != "pdf")
        invalid("unknown medinfo format '" + row.format + "'", "情報の形式が不正です。");
    if (row.file.empty()) invalid("a fetched answer needs its file name", "ファイル名がありません。");
    if (row.raw.empty()) invalid("a fetched answer needs its bytes", "取得した情報が空です。");
    const std::string at = now();
    MedinfoRecord r = row;
    r.sha256 = sha256_hex(row.raw);
    r.fetched_at = at;
    r.staff_id = staff_id;
    sql::Tx tx(*db_);
    require_patient(*db_, row.karte);
    Journal j(*db_);  // nothing journaled: the row is not a change of the patient and cannot be undone away
    const std::string what = row.kind == "yzk" ? "薬剤情報" : "特定健診情報";
    r.audit_id = write_audit(*db_, j, at, staff_id, "medinfo.fetch", row.karte,
                             what + "取得 " + row.format + " " + row.file + (row.request.empty() ? "" : " " + row.request));
    sql::Stmt st(*db_,
                 "INSERT INTO medinfo(karte, kind, format, request, file, fetched_at, staff_id, sha256, consent_until, "
                 "raw, parsed, audit_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, r.karte).bind(2, r.kind).bind(3, r.format).bind(4, r.request).bind(5, r.file).bind(6, at);
    st.bind(7, staff_id).bind(8, r.sha256).bind(9, r.consent_until).bind_blob(10, row.raw).bind(11, row.parsed);
    st.bind(12, r.audit_id);
    st.run();
    r.id = db_->last_id();
    tx.commit();
    r.raw.clear();
    r.parsed.clear();
    return r;
}

std::vector<MedinfoRecord> LedgerStore::medinfo_list(const std::string& karte, const std::string& kind, bool with_data,
                                                     size_t limit) const {
    if (schema_version_ < kMedinfoSchema) return {};  // read-only on an older ledger
    sql::Stmt st(*db_, select_sql(kColumns) + (with_data ? ", raw, parsed" : "") +
                           " FROM medinfo WHERE karte = ?1 AND (?2 = '' OR kind = ?2) ORDER BY id DESC LIMIT ?3");
    st.bind(1, karte).bind(2, kind).bind(3, int64_t(limit));
    std::vector<MedinfoRecord> out;
    while (st.step()) out.push_back(read_row(st, with_data));
    return out;
}

std::optional<MedinfoRecord> LedgerStore::medinfo(int64_t id) const {
    if (schema_version_ < kMedinfoSchema) return std::nullopt;
    sql::Stmt st(*db_, select_sql(kColumns) + ", raw, parsed FROM medinfo WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_row(st, true);
}

std::vector<QualificationCheck> LedgerStore::answered_checks(const std::string& karte, size_t limit) const {
    sql::Stmt st(*db_, "SELECT " + check_columns(schema_version_) +
                           " FROM checks WHERE karte = ? AND raw_xml <> '' ORDER BY checked_at DESC, id DESC LIMIT ?");
    st.bind(1, karte).bind(2, int64_t(limit));
    std::vector<QualificationCheck> out;
    while (st.step()) out.push_back(read_check(st));
    return out;
}

int64_t LedgerStore::record_reference_registration(const std::string& karte, const std::string& number,
                                                   const std::string& request, bool ok, const std::string& detail,
                                                   const std::string& staff_id) {
    require_staff(staff_id);
    if (number.empty() || number.size() > 50)
        invalid("a 照会番号 is 1 to 50 characters", "照会番号は1〜50文字です。");
    const std::string at = now();
    sql::Tx tx(*db_);
    require_patient(*db_, karte);
    Journal j(*db_);
    if (ok) link_reference(*db_, j, karte, number, at);
    std::string summary = "照会番号登録 " + number + (ok ? " 登録済" : " 失敗") + (request.empty() ? "" : " " + request);
    if (!detail.empty()) summary += " " + detail;
    const int64_t id = write_audit(*db_, j, at, staff_id, "reference.register", karte, summary);
    tx.commit();
    return id;
}

}  // namespace onshi::ledger
