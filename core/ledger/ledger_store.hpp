#pragma once
// LedgerStore: the 患者原簿 on one SQLite file. Every change is one transaction with its audit row;
// every audited change can be undone (and the undo is audited too).
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger/error.hpp"
#include "core/ledger/overwrite_plan.hpp"
#include "core/ledger/types.hpp"
#include "core/util/clock.hpp"

namespace onshi::ledger {

namespace sql {
class Db;
}

// $ONSHI_LEDGER, else /var/lib/onshi-kiosk/ledger.sqlite.
std::filesystem::path default_ledger_path();

struct PatientRecord {
    Patient patient;
    std::vector<InsuranceCard> cards;  // [0] current (closed_on ""), then 過1, 過2 … newest first
    std::vector<KouhiEntry> kouhi;
    std::vector<KaigoEntry> kaigo;
    std::vector<LinkRecord> links;  // newest first; the active one has unlinked_at ""
    std::vector<Consent> consents;  // newest first
    std::optional<QualificationCheck> latest_check;
    std::string reference_number() const;  // active 照会番号, "" if 未登録
    const InsuranceCard* current_card() const;
};

struct SearchQuery {
    std::string karte;  // exact
    std::string kana;   // prefix on kana_key (カナ氏名 in any width/script)
    std::string birth;  // YYYY-MM-DD exact
};

struct PatientSummary {
    Patient patient;
    std::string insurer_number;                      // current card's
    std::optional<QualificationCheck> latest_check;  // raw_xml left empty
};

struct HistoryQuery {
    std::string karte;     // "" = all patients
    std::string from, to;  // checked_at date bounds (inclusive, YYYY-MM-DD), "" = open
    std::optional<CheckMethod> method;
    std::string validity;  // "" = any
};

struct HistoryResult {
    std::vector<QualificationCheck> rows;  // newest first, raw_xml left empty
    bool too_many = false;                 // more than the cap matched: rows is empty, narrow the search
    std::string message_ja;                // the screen's answer when too_many
};

// 薬剤情報・特定健診情報 fetched from OQS (docs/medinfo.md): read-only rows (the table refuses UPDATE and
// DELETE), each written with its audit row ("medinfo.fetch": who fetched and when).
struct MedinfoRecord {
    int64_t id = 0;
    std::string karte;
    std::string kind;    // "yzk" 薬剤情報, "tkk" 特定健診情報
    std::string format;  // "xml" | "pdf"
    std::string request, file, fetched_at, staff_id, sha256;
    std::string consent_until;  // the AvailableTime (YYYYMMDDHHmmss) the fetch was allowed under
    std::string raw;            // the answer's bytes as received (left empty by list queries)
    std::string parsed;         // JSON of the parsed XML answer ("" for a PDF; left empty by list queries)
    int64_t audit_id = 0;
};

// Live lists (受付一覧, an open 原簿): `changed` is called after any write transaction on the ledger commits,
// with no polling. On PostgreSQL every kiosk's commit notifies (LISTEN/NOTIFY, its own connection and
// thread; `changed` runs on that thread, within milliseconds). On SQLite the signal is in-process: commits
// of the stores of this process on the same file, `changed` running on the committing thread. A lost
// server connection is opened again and, once it listens again, reported as one more `changed` (what was
// written meanwhile went unheard). Stops when destroyed.
class LedgerWatcher {
public:
    LedgerWatcher(const std::filesystem::path& location, std::function<void()> changed,
                  const std::string& password_file = "");
    ~LedgerWatcher();
    LedgerWatcher(const LedgerWatcher&) = delete;
    LedgerWatcher& operator=(const LedgerWatcher&) = delete;
    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};
// The in-process signal: every LedgerWatcher of the SQLite file at `key` (core/ledger/watch.cpp).
void notify_local(const std::string& key);
std::string local_key(const std::filesystem::path& file);

class LedgerStore {
public:
    struct Options {
        // Create a missing file (O_CREAT|O_EXCL, mode 0600 before SQLite touches it) and initialise an empty
        // one. Only `onshi ledger init` and the kiosk's own ledger set it; see docs/security.md.
        bool create = true;
        // SQLITE_OPEN_READONLY: no journal-mode change, no migration, no write of any kind (show, history,
        // search, export, audit, backup source, diff).
        bool read_only = false;
        int busy_timeout_ms = 5000;
        // PostgreSQL only (a "postgresql://…" location): the file holding the password, mode 0600 or
        // stricter ("" = none, or the URI's own ways: ~/.pgpass, a client certificate). docs/ledger-postgres.md.
        std::string password_file;
        // PostgreSQL only: how long a statement waits for the server's answer; past it the connection is
        // dropped and the call fails Unavailable ([ledger] answer_timeout_seconds; at least the busy timeout
        // plus 1 s). docs/ledger-postgres.md, "A server that does not answer".
        int answer_timeout_ms = 15000;
        // The one injected clock (epoch ms, core/util/clock.hpp); audit times are its local time formatted by
        // util::format_local. Default: the system clock.
        util::Clock clock;
    };

    // Opens (creating when allowed), checks integrity and migrates. Never changes the mode of an existing
    // file. Refuses before writing anything: LedgerError(NotLedger) for a folder, an empty file (unless
    // create) or another program's SQLite file; Corrupt for a damaged or non-SQLite file; TooNew for a newer
    // schema. A read-write open also removes `*.tmp-PID` files of dead processes in the ledger's folder.
    // A location that starts with "postgresql://" or "postgres://" is a PostgreSQL database (libpq URI,
    // sslmode and the rest passed through): the same checks, by schema version and tables, and the same
    // migrations; an empty database is initialised only with `create`.
    static LedgerStore open(const std::filesystem::path& path, Options options);
    static LedgerStore open(const std::filesystem::path& path) { return open(path, Options{}); }
    LedgerStore(LedgerStore&&) noexcept;
    LedgerStore& operator=(LedgerStore&&) noexcept;
    ~LedgerStore();

    const std::filesystem::path& path() const { return path_; }
    std::string now() const;

    // ---- changes: each one transaction + one audit row; the returned value is the audit id ----
    ApplyResult apply(const OverwritePlan& plan, const std::string& staff_id);
    int64_t undo(int64_t audit_id, const std::string& staff_id);
    int64_t unlink_reference(const std::string& karte, const std::string& staff_id);
    // ほかの患者様のデータと紐づけてしまったとき: unlink wherever it is, link to `karte`.
    int64_t relink_reference(const std::string& reference_number, const std::string& karte,
                             const std::string& staff_id);
    int64_t confirm_card(const std::string& karte, const std::string& date,
                         const std::string& staff_id);  // 保険証確認日
    int64_t add_kouhi(const std::string& karte, const KouhiEntry& entry, const std::string& staff_id);
    int64_t add_kaigo(const std::string& karte, const KaigoEntry& entry, const std::string& staff_id);
    int64_t set_phones(const std::string& karte, const Phones& phones, const std::string& staff_id);  // "" keeps

    // ---- checks on their own and OQS files taken in (docs/oqs-terminal.md, "Face results and 単件照会") ----
    // These never change a patient or a card: only the check, with its audit row.
    struct RecordedCheck {
        int64_t audit_id = 0;
        int64_t check_id = 0;
    };
    RecordedCheck record_check(const NewCheck& check, const std::string& staff_id);
    // Records the answer to a check still 照会中 (status "processing"): status, validity, codes, message,
    // raw XML and checked_at (when given) change; Conflict when it was answered (or undone) already.
    int64_t complete_check(int64_t check_id, const NewCheck& answer, const std::string& staff_id);
    // The same for several checks (a 一括照会's answer) in one transaction, one audit row each; nothing is
    // written when one of them is refused. Returns the audit ids in order.
    std::vector<int64_t> complete_checks(const std::vector<std::pair<int64_t, NewCheck>>& answers,
                                         const std::string& staff_id);
    std::optional<QualificationCheck> check(int64_t id) const;
    // A check recorded at intake (method 顔認証) that a 目視確認 visit paired with its person: method becomes
    // 目視確認, staff_id the staff member, visual_reason the reason chosen ("" none). One transaction + audit
    // row ("check.visual"), undone like any change. Conflict when the check is another method already.
    int64_t mark_visual_check(int64_t check_id, const std::string& staff_id, const std::string& reason);
    // The 照会中 check recorded for a request file, if any (an answer that came after its caller gave up).
    std::optional<QualificationCheck> pending_check(const std::string& request) const;

    struct IntakeResult {
        bool recorded = false;  // false: this content was taken in before; `row` is that earlier intake
        IntakeRecord row;       // raw left empty
        int64_t audit_id = 0;   // when a check was recorded
    };
    // Takes in one OQS file exactly once, by `row.sha256` (UNIQUE, checked inside the transaction): with
    // `check` (outcome "matched") the check and its audit row are written in the same transaction.
    IntakeResult take_in(const IntakeRecord& row, const std::optional<NewCheck>& check, const std::string& staff_id);
    std::optional<IntakeRecord> intake_by_sha256(const std::string& sha256) const;  // with raw
    // Newest first, raw left empty; outcome "" = all (the reception list shows "unmatched" as 原簿未登録).
    std::vector<IntakeRecord> intake_list(const std::string& outcome = "", size_t limit = 200) const;

    // ---- 受付一覧 and 一括照会 (docs/oqs-terminal.md, "Reception list and 一括照会") ----
    struct Received {
        bool added = false;  // false: the patient was on that day's list already (nothing written)
        int64_t audit_id = 0;
        ReceptionEntry entry;
    };
    // Puts the patient on the day's list ("" = today) with the time now: one transaction + audit row
    // ("reception.add"), undone like any change.
    Received receive(const std::string& karte, const std::string& day, const std::string& staff_id);
    // The day's list in 受付時刻 order, in one query (indexes reception(day, karte), checks(karte, checked_at)).
    std::vector<ReceptionRow> reception_rows(const std::string& day) const;
    // カルテ番号 whose current card's 保険証確認日 is before `first_of_month` or not recorded (今月未確認).
    std::vector<std::string> kartes_due(const std::string& first_of_month) const;

    // A new batch in state "sending" with one item per patient (karte, the card asked about), arbitrary ids
    // "<batch>_<seq>". Bookkeeping, not audited: the checks recorded by bulk_sent are.
    BulkBatch create_bulk(const std::string& selection, const std::vector<std::pair<std::string, int64_t>>& patients,
                          const std::string& staff_id);
    // The 01req was written as `request`: state "sent" and one 照会中 check (method bulk) per item, in one
    // transaction with one audit row ("check.bulk"). Returns the audit id.
    int64_t bulk_sent(int64_t batch_id, const std::string& request, const std::string& staff_id);
    // Plain bookkeeping writes (no audit): state, reception number, the outstanding 02req, polls, message.
    void update_bulk(const BulkBatch& batch);
    std::optional<BulkBatch> bulk(int64_t batch_id) const;
    std::vector<BulkBatch> unfinished_bulks() const;  // sending, sent or polling; oldest first

    // ---- 薬剤情報・特定健診情報 and 照会番号登録 (docs/medinfo.md; core/ledger/medinfo.cpp) ----
    // Stores one fetched answer (kind, format, request, file, raw, parsed, consent_until of `row`) with its
    // audit row, in one transaction; returns the stored row (raw and parsed left empty).
    MedinfoRecord add_medinfo(const MedinfoRecord& row, const std::string& staff_id);
    // The patient's fetched answers, newest first; kind "" = both. `with_data` fills raw and parsed.
    std::vector<MedinfoRecord> medinfo_list(const std::string& karte, const std::string& kind = "",
                                            bool with_data = false, size_t limit = 50) const;
    std::optional<MedinfoRecord> medinfo(int64_t id) const;  // with raw and parsed
    // The patient's checks that hold an OQS answer (face results, 目視確認, 単件照会, 一括照会 with raw_xml),
    // newest first: where the 閲覧同意 and its AvailableTime are read from.
    std::vector<QualificationCheck> answered_checks(const std::string& karte, size_t limit = 20) const;
    // The answer to an OQSsiimm01req (照会番号登録) for `karte`: an audit row ("reference.register") that says
    // what was sent and what came back; when `ok`, the 照会番号 is also linked to the patient in the same
    // transaction (undone like any link). Returns the audit id.
    int64_t record_reference_registration(const std::string& karte, const std::string& reference_number,
                                          const std::string& request, bool ok, const std::string& detail,
                                          const std::string& staff_id);

    // ---- staff (passcode hashing is core/flow/passcode's; these only store) ----
    int64_t add_staff(const StaffMember& member, const std::string& by_staff_id);
    int64_t set_staff_active(const std::string& id, bool active, const std::string& by_staff_id);
    // A new passcode hash; also clears the member's lockout. The audit row says who changed whose passcode
    // and when, never the salt or hash, so this change cannot be undone (set another passcode instead).
    int64_t set_staff_passcode(const std::string& id, const std::string& salt, const std::string& hash,
                               int64_t iterations, const std::string& by_staff_id);
    std::optional<StaffMember> staff(const std::string& id) const;
    std::vector<StaffMember> list_staff() const;
    // Lockout state changes on every passcode attempt: plain writes, not audited, never undone.
    void set_lockout(const std::string& id, int64_t failed_count, const std::string& locked_until);

    // ---- queries ----
    // The patient's version: the id of the newest audit row that changed the patient's own data (record,
    // cards, 公費, 介護, phones, links, consents and undos; not checks on their own, the reception list or
    // 薬剤情報), 0 when none. A 差分確認 keeps it in OverwritePlan::base_version.
    int64_t patient_version(const std::string& karte) const;
    std::optional<PatientRecord> patient(const std::string& karte) const;
    std::vector<PatientSummary> search(const SearchQuery& q, size_t limit = 200) const;
    std::vector<PatientSummary> today(const std::string& date = "") const;  // checked that day ("" = today)
    HistoryResult history(const HistoryQuery& q, size_t cap = 10000) const;
    std::optional<AuditEntry> audit_entry(int64_t id) const;
    std::vector<AuditEntry> audit_log(const std::string& karte = "", size_t limit = 100) const;
    std::string next_karte() const;
    std::vector<std::string> kartes() const;  // every カルテ番号, in numeric order
    // The patient the 照会番号 is linked to now, "" when it is linked to nobody.
    std::string karte_for_reference(const std::string& reference_number) const;

    // ---- moving a ledger (docs/ledger-postgres.md, "Moving a SQLite ledger to PostgreSQL") ----
    struct CopiedTable {
        std::string table;
        int64_t rows = 0;
        std::string sha256;  // of the rows in id order, each column by name with its type and value
    };
    struct CopyReport {
        std::vector<CopiedTable> tables;  // parents before children
    };
    // Copies this SQLite ledger (every table, every row with its id: history, audit, intake, …) into
    // `target`, an empty ledger at the same schema (usually PostgreSQL), in one transaction; then counts and
    // checksums each table on both sides. Conflict when the target holds rows (nothing copied); Corrupt when
    // a table does not match after the copy (do not use the target). Run it with every kiosk stopped.
    CopyReport copy_to(LedgerStore& target) const;

    // ---- durability ----
    std::string integrity_check() const;  // "ok" or SQLite's report
    // Online copy (SQLite backup API, in slices) to a new self-contained file with mode 0600, written through
    // files::write_atomic (an unnamed O_TMPFILE linked in when complete), so a killed backup leaves nothing.
    void backup_to(const std::filesystem::path& file) const;
    // One copy a day in `dir` (ledger-YYYY-MM-DD.sqlite), keeping the newest `keep` and removing temporary
    // files left by dead processes. Returns the file written, or nullopt when today's copy already exists.
    std::optional<std::filesystem::path> daily_backup(const std::filesystem::path& dir, size_t keep = 14) const;

private:
    LedgerStore(std::filesystem::path path, std::unique_ptr<sql::Db> db, Options options);
    std::filesystem::path path_;
    std::unique_ptr<sql::Db> db_;
    Options options_;
    int schema_version_ = 0;  // as migrated; a read-only open leaves an older file's version as it is
};

}  // namespace onshi::ledger
