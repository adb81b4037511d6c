#include "app/kiosk/reception.hpp"

#include <algorithm>

#include "core/intake/column_text.hpp"
#include "core/intake/face_intake.hpp"
#include "core/ledger/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/util/files.hpp"
#include "core/util/log.hpp"

namespace onshi::kiosk {

ReceptionLine reception_line(const ledger::IntakeRecord& row, const std::optional<ledger::QualificationCheck>& check) {
    ReceptionLine l;
    l.file = row.file;
    l.time = row.received_at.size() >= 16 ? row.received_at.substr(11, 5) : row.received_at;
    l.karte = row.karte;
    l.malformed = row.outcome == "malformed";
    if (l.malformed) return l;
    if (check)
        l.column = intake::column_text(*check);
    else
        l.column = intake::status_word(row.status);
    try {
        const auto parsed = oqs::parse_file(row.raw, oqs::MessageKind::Face);
        const auto result = oqs::qualification_result(parsed.message);
        for (const auto& r : result.records) {
            l.name = r.name.value_or(r.name_kana.value_or(""));
            if (!r.disqualification_date || r.disqualification_date->empty()) break;  // the one in force
        }
    } catch (const std::exception&) {
        // The intake read it before: a name that cannot be shown stays empty.
    }
    return l;
}

ReceptionList::ReceptionList(ledger::LedgerStore& store, std::filesystem::path face_dir)
    : store_(store), face_dir_(std::move(face_dir)) {}

void ReceptionList::load() {
    try {
        for (const auto& row : store_.intake_list("", kMaxLines)) {
            auto full = store_.intake_by_sha256(row.sha256);
            lines_.push_back(
                reception_line(full ? *full : row, row.check_id ? store_.check(row.check_id) : std::nullopt));
        }
    } catch (const std::exception& e) {
        log::warn("kiosk", std::string("the reception list could not be read: ") + e.what());
    }
    changed_ = true;
}

void ReceptionList::add(ReceptionLine line) {
    auto same = std::find_if(lines_.begin(), lines_.end(), [&](const ReceptionLine& l) { return l.file == line.file; });
    if (same != lines_.end()) return;
    lines_.insert(lines_.begin(), std::move(line));
    if (lines_.size() > kMaxLines) lines_.pop_back();
    changed_ = true;
}

int64_t ReceptionList::check_id_of(const std::string& file) const {
    for (auto it = checks_.rbegin(); it != checks_.rend(); ++it)
        if (it->file == file) return it->check_id;
    return 0;
}

std::string ReceptionList::karte_of(const std::string& file) const {
    for (auto it = checks_.rbegin(); it != checks_.rend(); ++it)
        if (it->file == file) return it->karte;
    return {};
}

namespace {

// A failure of the ledger that passes (server down, a restart, a writer holding the lock): worth a retry.
bool passing(const ledger::LedgerError& e) {
    return e.code == ledger::ErrorCode::Unavailable || e.code == ledger::ErrorCode::Busy ||
           e.code == ledger::ErrorCode::Io;
}

}  // namespace

void ReceptionList::set_spool(std::filesystem::path spool) {
    spool_ = std::move(spool);
    kept_.clear();
    const auto text = files::read(spool_);
    if (!text) return;
    size_t at = 0;
    while (at < text->size()) {
        size_t end = text->find('\n', at);
        if (end == std::string::npos) end = text->size();
        std::string name = text->substr(at, end - at);
        // Only face/ file names, never a path: the spool cannot point the intake elsewhere.
        if (name.rfind("OQSsiquc01res_face_", 0) == 0 && name.find('/') == std::string::npos && !is_kept(name))
            kept_.push_back(std::move(name));
        at = end + 1;
    }
    if (!kept_.empty()) log::info("kiosk", std::to_string(kept_.size()) + " face file(s) kept from the last run");
}

bool ReceptionList::is_kept(const std::string& file) const {
    return std::find(kept_.begin(), kept_.end(), file) != kept_.end();
}

void ReceptionList::save_spool() const {
    if (spool_.empty()) return;
    std::string text;
    for (const auto& f : kept_) text += f + "\n";
    files::write_atomic(spool_, text, 0600);
}

ReceptionList::Outcome ReceptionList::take_in_or_keep(const std::string& file) {
    if (is_kept(file)) return Outcome::Kept;
    if (!kept_.empty()) {
        // Older files go first: taken in in the order they came.
        kept_.push_back(file);
        save_spool();
        return Outcome::Kept;
    }
    try {
        return take_in(file) ? Outcome::Taken : Outcome::Unreadable;
    } catch (const ledger::LedgerError& e) {
        if (!passing(e)) throw;
        log::warn("kiosk", "face/" + file + " kept until the ledger is back: " + e.what());
        kept_.push_back(file);
        save_spool();
        return Outcome::Kept;
    }
}

std::vector<std::string> ReceptionList::retry_kept() {
    std::vector<std::string> taken;
    while (!kept_.empty()) {
        const std::string file = kept_.front();
        try {
            take_in(file);  // an unreadable file is logged and dropped: `onshi oqs ingest` takes it
        } catch (const ledger::LedgerError& e) {
            if (!passing(e)) throw;
            break;
        }
        kept_.erase(kept_.begin());
        save_spool();
        taken.push_back(file);
    }
    return taken;
}

bool ReceptionList::take_in(const std::string& file) {
    files::BoundedRead in = files::read_regular(face_dir_ / file, oqs::DecodeOptions{}.max_bytes);
    if (!in.ok()) {
        log::warn("kiosk", "face/" + file + " not taken in: " + in.message_en);
        return false;
    }
    const intake::FaceIntakeReport r = intake::take_in_face(store_, {file, in.bytes});
    log::info("kiosk", "face/" + file + (r.recorded ? " taken in: " : " known already: ") + r.status +
                           (r.karte.empty() ? "" : ", karte " + r.karte));
    checks_.push_back({file, r.check ? r.check->id : 0, r.check ? r.karte : std::string()});
    if (checks_.size() > kMaxLines) checks_.pop_front();
    auto row = store_.intake_by_sha256(r.sha256);
    if (row) add(reception_line(*row, r.check));
    return true;
}

}  // namespace onshi::kiosk
