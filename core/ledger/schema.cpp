#include "core/ledger/schema.hpp"

#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "core/ledger/types.hpp"

namespace onshi::ledger {
namespace {

// Every table has an "id" key so the audit journal can address any row and undo can put it back.
// Insurance cards keep history: a switch closes the old row (closed_on) and inserts a new one.
constexpr const char* kV1 = R"sql(
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL UNIQUE CHECK (karte <> ''),
  kanji_name TEXT NOT NULL DEFAULT '',
  kana_name TEXT NOT NULL DEFAULT '',
  kana_key TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL DEFAULT '',
  birth TEXT NOT NULL DEFAULT '',
  postal TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  phone_home TEXT NOT NULL DEFAULT '',
  phone_contact TEXT NOT NULL DEFAULT '',
  phone_mobile TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX patients_kana ON patients(kana_key);
CREATE INDEX patients_birth ON patients(birth);

CREATE TABLE insurance_cards (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  insurer_number TEXT NOT NULL DEFAULT '',
  kigo TEXT NOT NULL DEFAULT '',
  bango TEXT NOT NULL DEFAULT '',
  edaban TEXT NOT NULL DEFAULT '',
  relationship TEXT NOT NULL DEFAULT '',
  insured_name TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  burden_ratio TEXT NOT NULL DEFAULT '',
  limit_class TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL DEFAULT '',
  valid_until TEXT NOT NULL DEFAULT '',
  issued_on TEXT NOT NULL DEFAULT '',
  acquired_on TEXT NOT NULL DEFAULT '',
  limit_from TEXT NOT NULL DEFAULT '',
  limit_until TEXT NOT NULL DEFAULT '',
  card_checked_on TEXT NOT NULL DEFAULT '',
  closed_on TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX cards_karte ON insurance_cards(karte);
CREATE UNIQUE INDEX cards_one_current ON insurance_cards(karte) WHERE closed_on IS NULL;

CREATE TABLE kouhi (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  futansha_number TEXT NOT NULL,
  jukyusha_number TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL DEFAULT '',
  valid_until TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX kouhi_karte ON kouhi(karte);

CREATE TABLE kaigo (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  insurer_number TEXT NOT NULL,
  insured_number TEXT NOT NULL DEFAULT '',
  care_level TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL DEFAULT '',
  valid_until TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX kaigo_karte ON kaigo(karte);

CREATE TABLE checks (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  card_id INTEGER REFERENCES insurance_cards(id),
  checked_at TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('visual','face','pin','card')),
  validity TEXT NOT NULL DEFAULT '',
  processing_status TEXT NOT NULL DEFAULT '',
  result_code TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  raw_xml TEXT NOT NULL DEFAULT '',
  staff_id TEXT NOT NULL
);
CREATE INDEX checks_karte ON checks(karte, checked_at);
CREATE INDEX checks_time ON checks(checked_at);

CREATE TABLE consents (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  check_id INTEGER REFERENCES checks(id),
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  given_at TEXT NOT NULL,
  expires_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consents_karte ON consents(karte);

CREATE TABLE links (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  reference_number TEXT NOT NULL CHECK (reference_number <> ''),
  linked_at TEXT NOT NULL,
  unlinked_at TEXT
);
CREATE UNIQUE INDEX links_active_number ON links(reference_number) WHERE unlinked_at IS NULL;
CREATE UNIQUE INDEX links_active_patient ON links(karte) WHERE unlinked_at IS NULL;

CREATE TABLE staff (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  salt TEXT NOT NULL DEFAULT '',
  hash TEXT NOT NULL DEFAULT '',
  iterations INTEGER NOT NULL DEFAULT 0,
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1
);

-- Append-only: rows are never updated; "undone" is derived from a later row's undo_of (unique).
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  staff_id TEXT NOT NULL CHECK (staff_id <> ''),
  action TEXT NOT NULL,
  karte TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL,
  undo_of INTEGER UNIQUE REFERENCES audit(id)
);
CREATE INDEX audit_karte ON audit(karte);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
)sql";

// Version 2: 単件照会 checks (method 'query'), the status of every check ("processing" = 照会中 until the
// answer is recorded) and the request it was sent as; `intake` remembers every face/ file taken in, by the
// SHA-256 of its bytes, so none is recorded twice (docs/oqs-terminal.md, "Face results and 単件照会").
// SQLite cannot change a CHECK constraint in place: the table is rebuilt, keeping every id.
constexpr const char* kV2 = R"sql(
CREATE TABLE checks_v2 (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  card_id INTEGER REFERENCES insurance_cards(id),
  checked_at TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('visual','face','pin','card','query')),
  validity TEXT NOT NULL DEFAULT '',
  processing_status TEXT NOT NULL DEFAULT '',
  result_code TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  raw_xml TEXT NOT NULL DEFAULT '',
  staff_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT '' CHECK (status IN ('', 'processing', 'valid', 'invalid', 'invalid_new_qualification',
                                                    'not_found', 'multiple', 'valid_unregistered', 'error')),
  request TEXT NOT NULL DEFAULT ''
);
INSERT INTO checks_v2(id, karte, card_id, checked_at, method, validity, processing_status, result_code, message,
                      raw_xml, staff_id)
  SELECT id, karte, card_id, checked_at, method, validity, processing_status, result_code, message, raw_xml, staff_id
  FROM checks;
DROP TABLE checks;
ALTER TABLE checks_v2 RENAME TO checks;
CREATE INDEX checks_karte ON checks(karte, checked_at);
CREATE INDEX checks_time ON checks(checked_at);
CREATE INDEX checks_request ON checks(request) WHERE request <> '';
)sql";
constexpr const char* kV2Intake = R"sql(
-- Not part of any audit journal: undoing a recorded check leaves the file known, so it is not taken in again.
CREATE TABLE intake (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  file TEXT NOT NULL,
  received_at TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('matched', 'unmatched', 'malformed')),
  karte TEXT NOT NULL DEFAULT '',
  check_id INTEGER,
  match TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  raw BLOB NOT NULL
);
CREATE UNIQUE INDEX intake_sha256 ON intake(sha256);
CREATE INDEX intake_outcome ON intake(outcome, received_at);
)sql";

// Version 3: the day's reception list (受付一覧) and 一括照会 (docs/oqs-terminal.md, "Reception list and 一括照会").
// `reception` rows are journaled like every change (added with an audit row, undone like the rest). A batch and
// its items are bookkeeping of what was sent (like `intake`, not journaled): the reception number, the
// request names and which check answers which ArbitraryIdentifier, so a restart resumes a batch and never
// sends its OQSmuquc01req again. The checks table is rebuilt once more for method 'bulk'.
constexpr const char* kV3 = R"sql(
CREATE TABLE checks_v3 (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL REFERENCES patients(karte),
  card_id INTEGER REFERENCES insurance_cards(id),
  checked_at TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('visual','face','pin','card','query','bulk')),
  validity TEXT NOT NULL DEFAULT '',
  processing_status TEXT NOT NULL DEFAULT '',
  result_code TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  raw_xml TEXT NOT NULL DEFAULT '',
  staff_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT '' CHECK (status IN ('', 'processing', 'valid', 'invalid', 'invalid_new_qualification',
                                                    'not_found', 'multiple', 'valid_unregistered', 'error')),
  request TEXT NOT NULL DEFAULT ''
);
INSERT INTO checks_v3(id, karte, card_id, checked_at, method, validity, processing_status, result_code, message,
                      raw_xml, staff_id, status, request)
  SELECT id, karte, card_id, checked_at, method, validity, processing_status, result_code, message, raw_xml, staff_id,
         status, request
  FROM checks;
DROP TABLE checks;
ALTER TABLE checks_v3 RENAME TO checks;
CREATE INDEX checks_karte ON checks(karte, checked_at);
CREATE INDEX checks_time ON checks(checked_at);
CREATE INDEX checks_request ON checks(request) WHERE request <> '';
)sql";
constexpr const char* kV3Tables = R"sql(
CREATE TABLE reception (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL CHECK (length(day) = 10),
  karte TEXT NOT NULL REFERENCES patients(karte),
  received_at TEXT NOT NULL,
  staff_id TEXT NOT NULL
);
CREATE UNIQUE INDEX reception_day_karte ON reception(day, karte);

CREATE TABLE bulk_batches (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  selection TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'polling', 'done', 'failed', 'uncertain')),
  request TEXT NOT NULL DEFAULT '',
  reception_number TEXT NOT NULL DEFAULT '',
  poll_request TEXT NOT NULL DEFAULT '',
  polls INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  staff_id TEXT NOT NULL
);
CREATE INDEX bulk_batches_state ON bulk_batches(state);
-- No foreign keys on karte, card and check: an undo elsewhere must never be blocked by what was sent.
CREATE TABLE bulk_items (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES bulk_batches(id),
  arbitrary_id TEXT NOT NULL,
  karte TEXT NOT NULL,
  card_id INTEGER NOT NULL DEFAULT 0,
  check_id INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX bulk_items_arbitrary ON bulk_items(batch_id, arbitrary_id);
)sql";

// Version 5: 薬剤情報・特定健診情報 fetched from OQS (docs/medinfo.md). Each row is the answer as received (raw
// bytes, XML or PDF) and its parsed form, written once with its audit row and never changed: the triggers refuse
// UPDATE and DELETE. No foreign key on karte (like bulk_items): an undo elsewhere is never blocked by it.
constexpr const char* kV5 = R"sql(
CREATE TABLE medinfo (
  id INTEGER PRIMARY KEY,
  karte TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('yzk', 'tkk')),
  format TEXT NOT NULL CHECK (format IN ('xml', 'pdf')),
  request TEXT NOT NULL DEFAULT '',
  file TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  consent_until TEXT NOT NULL DEFAULT '',
  raw BLOB NOT NULL,
  parsed TEXT NOT NULL DEFAULT '',
  audit_id INTEGER NOT NULL
);
CREATE INDEX medinfo_karte ON medinfo(karte, kind, id);
CREATE TRIGGER medinfo_no_update BEFORE UPDATE ON medinfo BEGIN SELECT RAISE(ABORT, 'medinfo rows are read-only'); END;
CREATE TRIGGER medinfo_no_delete BEFORE DELETE ON medinfo BEGIN SELECT RAISE(ABORT, 'medinfo rows are read-only'); END;
)sql";

// PostgreSQL changes a CHECK constraint in place: no rebuild (the foreign keys to checks stay as they are).
// The same columns, constraints and indexes as the SQLite rebuilds above.
constexpr const char* kV2ChecksPg = R"sql(
ALTER TABLE checks DROP CONSTRAINT checks_method_check;
ALTER TABLE checks ADD CONSTRAINT checks_method_check CHECK (method IN ('visual','face','pin','card','query'));
ALTER TABLE checks ADD COLUMN status TEXT NOT NULL DEFAULT '' CHECK (status IN ('', 'processing', 'valid', 'invalid',
  'invalid_new_qualification', 'not_found', 'multiple', 'valid_unregistered', 'error'));
ALTER TABLE checks ADD COLUMN request TEXT NOT NULL DEFAULT '';
CREATE INDEX checks_request ON checks(request) WHERE request <> '';
)sql";
constexpr const char* kV3ChecksPg = R"sql(
ALTER TABLE checks DROP CONSTRAINT checks_method_check;
ALTER TABLE checks ADD CONSTRAINT checks_method_check CHECK (method IN ('visual','face','pin','card','query','bulk'));
)sql";

// Fills `status` of the checks recorded before version 2.
void derive_statuses(sql::Db& db) {
    sql::Stmt rows(db, "SELECT id, validity, processing_status, result_code, message FROM checks WHERE status = ''");
    sql::Stmt set(db, "UPDATE checks SET status = ? WHERE id = ?");
    while (rows.step()) {
        set.reset();
        set.bind(1, derive_check_status(rows.text(1), rows.text(2), rows.text(3), rows.text(4)))
            .bind(2, rows.integer(0));
        set.run();
    }
}

// `CHECK (c IN ('a', 'b', …))` written as `CHECK (c = 'a' OR c = 'b' OR …)`: the same constraint.
std::string or_chains(const std::string& create) {
    static const std::regex in_list(R"(CHECK \((\w+) IN \(([^()]*)\)\))");
    static const std::regex item(R"('[^']*')");
    std::string out;
    auto last = create.cbegin();
    for (std::sregex_iterator m(create.begin(), create.end(), in_list), end; m != end; ++m) {
        const std::string column = (*m)[1].str(), list = (*m)[2].str();
        std::string chain;
        for (std::sregex_iterator v(list.begin(), list.end(), item); v != end; ++v)
            chain += (chain.empty() ? "" : " OR ") + column + " = " + v->str();
        out.append(last, (*m)[0].first);
        out += "CHECK (" + chain + ")";
        last = (*m)[0].second;
    }
    out.append(last, create.cend());
    return out;
}

// Version 6 on SQLite: every `CHECK (c IN (…))` of the ledger's tables becomes the OR chain above. SQLite builds
// a temporary b-tree for a constant IN list of more than two values on every INSERT (two on each check row,
// 78 k of the 0.52 M instructions of a plan, docs/performance.md). Only the tables' SQL text changes, by SQLite's
// procedure for changing a CHECK constraint (writable_schema and schema_version + 1 inside the migration's
// transaction: no page of any table is rewritten); the schema is then read again, so a text that did not
// parse fails here and rolls the migration back. PostgreSQL evaluates an IN list as it is: nothing to do there.
void or_chain_checks(sql::Db& db) {
    std::vector<std::pair<std::string, std::string>> tables;  // name, new SQL
    {
        sql::Stmt st(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK (% IN (%'");
        while (st.step())
            if (std::string sql = or_chains(st.text(1)); sql != st.text(1)) tables.emplace_back(st.text(0), sql);
    }
    if (tables.empty()) return;
    const int cookie = std::stoi(db.pragma("schema_version"));
    db.exec("PRAGMA writable_schema = ON");
    try {
        for (const auto& [name, sql] : tables) {
            sql::Stmt st(db, "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?");
            st.bind(1, sql).bind(2, name);
            st.run();
        }
        db.exec("PRAGMA schema_version = " + std::to_string(cookie + 1));
    } catch (...) {
        db.exec("PRAGMA writable_schema = RESET");
        throw;
    }
    db.exec("PRAGMA writable_schema = RESET");  // off, and the schema read again from the new text
    for (const auto& t : tables) sql::Stmt(db, "SELECT * FROM \"" + t.first + "\" LIMIT 0").run();
}

// Version 7 on SQLite: audit.undo_of is unique through a partial index, which holds the undo rows only, instead
// of a UNIQUE column, whose index took an entry (and so a page write) for every audit row: a plan's commit
// writes one page fewer (docs/performance.md, "Ledger plan"). SQLite cannot drop a column's UNIQUE: the
// append-only table is rebuilt, every row and id kept, its index and triggers made again. "undone by" reads
// the same index (`undo_of = ?` implies the index's condition).
constexpr const char* kV7Audit = R"sql(
CREATE TABLE audit_v7 (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  staff_id TEXT NOT NULL CHECK (staff_id <> ''),
  action TEXT NOT NULL,
  karte TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL,
  undo_of INTEGER REFERENCES audit(id)
);
INSERT INTO audit_v7(id, at, staff_id, action, karte, summary, changes, undo_of)
  SELECT id, at, staff_id, action, karte, summary, changes, undo_of FROM audit ORDER BY id;
DROP TABLE audit;
ALTER TABLE audit_v7 RENAME TO audit;
CREATE INDEX audit_karte ON audit(karte);
CREATE UNIQUE INDEX audit_undo_of ON audit(undo_of) WHERE undo_of IS NOT NULL;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
)sql";

void check_foreign_keys(sql::Db& db) {
    if (db.postgres()) return;  // PostgreSQL checks every reference as it is written
    sql::Stmt st(db, "PRAGMA foreign_key_check");
    if (st.step())
        throw LedgerError(ErrorCode::Corrupt, "ledger migration left a broken reference in table " + st.text(0),
                          "患者原簿の更新中に不整合が見つかりました。最新のバックアップから復元してください。");
}

}  // namespace

LedgerError too_new(int version) {
    return LedgerError(ErrorCode::TooNew,
                       "ledger schema " + std::to_string(version) + " is newer than this program (" +
                           std::to_string(kSchemaVersion) + ")",
                       "患者原簿が新しい版のプログラムで作成されています。プログラムを更新してください。");
}

void migrate(sql::Db& db) {
    if (int version = std::stoi(db.pragma("user_version")); version == kSchemaVersion) return;
    // The version is read again inside the write transaction: two programs opening a fresh file at once
    // migrate one after the other, and the second finds nothing left to do.
    sql::Tx tx(db);
    int version = std::stoi(db.pragma("user_version"));
    if (version > kSchemaVersion) throw too_new(version);
    if (version < 1) {
        db.exec(kV1);
        db.exec("PRAGMA user_version = 1");
    }
    if (version < 2) {
        db.exec(db.postgres() ? kV2ChecksPg : kV2);
        db.exec(kV2Intake);
        derive_statuses(db);
        check_foreign_keys(db);
        db.exec("PRAGMA user_version = 2");
    }
    if (version < 3) {
        db.exec(db.postgres() ? kV3ChecksPg : kV3);
        db.exec(kV3Tables);
        check_foreign_keys(db);
        db.exec("PRAGMA user_version = 3");
    }
    if (version < 4) {
        // 目視確認 of a face result recorded at intake: the reason staff gave (NULL for every other check).
        db.exec("ALTER TABLE checks ADD COLUMN visual_reason TEXT");
        db.exec("PRAGMA user_version = 4");
    }
    if (version < 5) {
        db.exec(kV5);
        db.exec("PRAGMA user_version = 5");
    }
    if (version < 6) {
        if (!db.postgres()) or_chain_checks(db);
        db.exec("PRAGMA user_version = 6");
    }
    if (version < 7) {
        // On SQLite a check's long raw answer may now be stored packed, a BLOB in the TEXT column raw_xml
        // (packed_text.hpp): an older program would read those bytes as the answer, and refuses the file
        // (too_new) instead. The audit's undo_of index holds the undo rows only. PostgreSQL: nothing to do.
        if (!db.postgres()) {
            db.exec(kV7Audit);
            check_foreign_keys(db);
        }
        db.exec("PRAGMA user_version = 7");
    }
    tx.commit();
}

}  // namespace onshi::ledger
