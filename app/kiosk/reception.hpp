#pragma once
// 受付結果: every face/ file the kiosk sees is taken in (core/intake, exactly once by content) on the UI
// thread, in one SQLite transaction, before the visit is told; the list shows the newest results.
// No ImGui here: the GPU-less tests use it as is.
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/kiosk/app_state.hpp"
#include "core/ledger/ledger_store.hpp"

namespace onshi::kiosk {

// The list line of one intake row (`row.raw` read back from the ledger for the name).
ReceptionLine reception_line(const ledger::IntakeRecord& row, const std::optional<ledger::QualificationCheck>& check);

class ReceptionList {
public:
    static constexpr size_t kMaxLines = 100;
    ReceptionList(ledger::LedgerStore& store, std::filesystem::path face_dir);

    void load();  // the newest rows already in the ledger (start-up); never throws
    // Reads face/<file> (a regular file, bounded) and takes it in; the list gets its line when it is new to
    // the list. Returns false when the file could not be read (logged; the transport does not offer it again,
    // `onshi oqs ingest` will). LedgerError escapes: the ledger itself failed.
    bool take_in(const std::string& file);
    const std::vector<ReceptionLine>& lines() const { return lines_; }
    // The check the intake of face/<file> recorded (found by the file's content hash); 0 none.
    int64_t check_id_of(const std::string& file) const;
    // The patient that check is for; "" none (unmatched, malformed, not taken in by this list).
    std::string karte_of(const std::string& file) const;
    bool changed() const { return changed_; }
    void clear_changed() { changed_ = false; }

    // While the ledger cannot take a face/ file in (its server down or busy: LedgerError Unavailable, Busy or
    // Io), the file is kept: it stays in face/ and its name goes into `spool` (one a line, replaced
    // atomically), so a restart keeps it too. retry_kept() takes the kept files in, oldest first, each exactly
    // once (take_in is by content hash). docs/ledger-postgres.md, "When the server is down".
    void set_spool(std::filesystem::path spool);  // loads what an earlier run kept
    enum class Outcome { Taken, Unreadable, Kept };
    Outcome take_in_or_keep(const std::string& file);
    // The kept files taken in now; stops at the first that fails again (it stays kept, with those after it).
    std::vector<std::string> retry_kept();
    const std::vector<std::string>& kept() const { return kept_; }
    bool is_kept(const std::string& file) const;

private:
    void add(ReceptionLine line);
    ledger::LedgerStore& store_;
    std::filesystem::path face_dir_;
    std::vector<ReceptionLine> lines_;  // newest first
    struct Taken {
        std::string file;
        int64_t check_id = 0;
        std::string karte;
    };
    std::deque<Taken> checks_;  // the latest take-ins
    std::filesystem::path spool_;
    std::vector<std::string> kept_;  // oldest first
    void save_spool() const;
    bool changed_ = true;
};

}  // namespace onshi::kiosk
