#include "core/ledger/schema.hpp"

#include <string>

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
    tx.commit();
}

}  // namespace onshi::ledger
