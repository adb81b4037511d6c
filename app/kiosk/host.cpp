#include "app/kiosk/host.hpp"

#include <filesystem>

#include "core/console/patient_page.hpp"
#include "core/console/typed_card.hpp"
#include "core/intake/bulk_query.hpp"
#include "core/intake/reception.hpp"
#include "core/intake/single_query.hpp"
#include "core/ledger/error.hpp"
#include "core/medinfo/fetch.hpp"
#include "core/medinfo/page.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/error.hpp"
#include "core/util/log.hpp"
#include "reader/pcsc/card_monitor.hpp"
#include "reader/port/pcsc_card_reader.hpp"

namespace onshi::kiosk {

namespace fs = std::filesystem;

namespace {

struct Stopping {};  // thrown out of a 一括照会's event wait when the kiosk stops (the batch resumes later)

text::Message reason(const std::exception& e) {
    if (const auto* q = dynamic_cast<const intake::QueryRefused*>(&e)) return text::verbatim(q->message_ja);
    if (const auto* l = dynamic_cast<const ledger::LedgerError*>(&e); l && !l->message_ja.empty())
        return text::verbatim(l->message_ja);
    return text::msg(text::Msg::ConsoleJobFailed, -1, -1, e.what());
}

rules::Date local_today(int64_t ms) {
    return rules::Date::from_iso(util::format_local(ms).substr(0, 10)).value_or(rules::Date{});
}

bool is_single_query(const std::string& request) { return request.rfind("OQSsiquc01req", 0) == 0; }

}  // namespace

KioskHost::KioskHost(config::KioskConfig cfg, std::function<void()> wake, flow::Clock clock)
    : cfg_(std::move(cfg)), wake_(std::move(wake)), clock_(std::move(clock)), ui_(wake_) {
    store_ = std::make_unique<ledger::LedgerStore>(ledger::LedgerStore::open(cfg_.ledger_location(), store_options()));
    flow::PasscodePolicy pp;
    pp.min_digits = size_t(cfg_.passcode_min_digits);
    pp.max_digits = size_t(cfg_.passcode_max_digits);
    pp.max_failures = cfg_.passcode_max_failures;
    pp.lockout_ms = int64_t(cfg_.passcode_lockout_minutes) * 60000;
    pp.iterations = cfg_.passcode_iterations;
    ledger_port_ = std::make_unique<flow::LedgerPort>(*store_, clock_, pp);

    oqs::TransportOptions to;
    to.root = cfg_.oqs_root;
    to.state_file = fs::path(cfg_.ledger_path).parent_path() / "oqs-transport.json";
    to.request_encoding = cfg_.oqs_encoding == "shift_jis" ? oqs::Encoding::ShiftJis : oqs::Encoding::Utf8;
    to.timeout = std::chrono::seconds(cfg_.oqs_timeout_seconds);
    // Every face/ file: taken in first (one transaction, on this thread), then offered to the visit.
    reception_ = std::make_unique<ReceptionList>(*store_, cfg_.oqs_root / "face");
    reception_->set_spool(fs::path(cfg_.ledger_path).parent_path() / "face-pending");
    reception_->load();
    gateway_ = std::make_unique<flow::OqsPort>(
        to, cfg_.medical_institution_code, ui_,
        [this](const flow::Input& in) {
            // A face result reaches the visit with the check its intake recorded (one check row per answer).
            if (const auto* face = std::get_if<flow::in::FaceResult>(&in)) {
                flow::in::FaceResult f = *face;
                if (reception_->is_kept(f.file)) {  // not taken in yet: offered once it is
                    if (!f.received_ms) f.received_ms = clock_();
                    held_faces_[f.file] = std::move(f);
                    return;
                }
                f.check_id = reception_->check_id_of(f.file);
                flow_->handle(f);
                return;
            }
            flow_->handle(in);
        },
        [this](const std::string& file) {
            if (reception_->take_in_or_keep(file) == ReceptionList::Outcome::Kept) {
                ledger_unreachable(std::runtime_error("face/" + file + " kept"));
                return;
            }
            face_taken(file);
        });
    // Answers to the console's 単件照会 cross to the UI thread; the 一括照会's go to its own waiter.
    gateway_->on_request_event([this](const oqs::OqsEvent& e) {
        {
            std::lock_guard lock(bulk_sink_mu_);
            if (bulk_sink_) bulk_sink_(e);
            if (oqs_job_sink_) oqs_job_sink_(e);
        }
        ui_.post([this, e] { on_request_event(e); });
    });

    reader::PcscCardReader::Options ro;
    ro.reader_pattern = cfg_.reader_pattern;
    ro.floor = cfg_.face_tries_floor;
    if (!cfg_.trust_store.empty()) {
        std::vector<std::string> files;
        for (const auto& p : cfg_.trust_store) files.push_back(p.string());
        ro.trust = std::make_shared<reader::TrustStore>(reader::TrustStore::from_pem_files(files));
    }
    card_ = std::make_unique<reader::PcscCardReader>(
        ro, [this](flow::Input in) { ui_.post([this, in = std::move(in)] { flow_->handle(in); }); });

    flow::FlowConfig fc;
    fc.staff_idle_ms = int64_t(cfg_.staff_idle_seconds) * 1000;
    fc.face_wait_ms = int64_t(cfg_.face_wait_seconds) * 1000;
    fc.done_ms = int64_t(cfg_.done_seconds) * 1000;
    flow_ = std::make_unique<flow::VisualConfirmFlow>(*card_, *ledger_port_, clock_, fc);
    try_start_oqs();
    monitor_ = std::make_unique<reader::CardMonitor>([this](const reader::CardEvent& e) { on_card_event(e); });
    jobs_ = std::make_unique<JobThread>();
    bulk_ = std::make_unique<JobThread>();
    oqs_jobs_ = std::make_unique<JobThread>();
    probe_ = std::make_unique<JobThread>();
    flow_->set_registrar(this);
    // A 一括照会 left unfinished by the last run is taken up again (never sent again: core/intake).
    try {
        for (const auto& b : store_->unfinished_bulks()) {
            log::info("kiosk", "resuming the bulk query batch " + std::to_string(b.id));
            bulk_->post([this, id = b.id] { follow_bulk(id, true, "bulk"); });
        }
    } catch (const std::exception& e) {
        log::warn("kiosk", std::string("unfinished bulk queries not readable: ") + e.what());
    }
    // Live lists: every commit on the ledger, this kiosk's or another's (docs/ledger-postgres.md).
    try {
        watcher_ = std::make_unique<ledger::LedgerWatcher>(
            cfg_.ledger_location(), [this] { ui_.post([this] { on_ledger_changed(); }); },
            cfg_.ledger_password_file.string());
    } catch (const std::exception& e) {
        log::warn("kiosk", std::string("the ledger is not watched (lists refresh on their own actions only): ") +
                               e.what());
    }
}

void KioskHost::face_taken(const std::string& file) {
    list_dirty_ = true;  // a new check (or 原簿未登録 row) for 受付一覧, without a tap
    // A face-auth reception is the patient's 受付 of the day: on 受付一覧 (once a day, audited).
    if (const std::string karte = reception_->karte_of(file); !karte.empty())
        jobs_->post([this, karte] {
            try {
                worker_store(job_store_).receive(karte, local_today(clock_()).iso(), "intake");
                ui_.post([this] { list_dirty_ = true; });
            } catch (const std::exception& e) {
                log::warn("kiosk", "karte " + karte + " not put on today's list: " + e.what());
            }
        });
}

void KioskHost::on_ledger_changed() {
    list_dirty_ = true;
    if (ledger_down_) next_ledger_try_ms_ = 0;  // heard from the server: try what waits now
    // An open 原簿 is read again on the worker; a failed read keeps the page as it is.
    const console::State& s = console_.state();
    const console::PatientPage& p = s.patient;
    if (s.page != console::Page::Patient || p.karte.empty() || !p.data || p.busy || page_reload_pending_) return;
    page_reload_pending_ = true;
    jobs_->post([this, karte = p.karte, staff = staff_id()] {
        std::optional<console::PageIntent> back;
        try {
            back = console::run_page_effect(worker_store(job_store_), console::page_effect::Load{karte}, staff);
        } catch (const std::exception& e) {
            log::warn("kiosk", "the open 原簿 of karte " + karte + " not read again: " + e.what());
        }
        ui_.post([this, back = std::move(back)] {
            page_reload_pending_ = false;
            const auto* loaded = back ? std::get_if<console::page_in::Loaded>(&*back) : nullptr;
            if (loaded && loaded->data) console_result(console::in::OnPatient{*back});
        });
    });
}

void KioskHost::ledger_unreachable(const std::exception& e) {
    if (!ledger_down_) {
        log::warn("kiosk", std::string("the ledger server cannot be reached: ") + e.what());
        ledger_down_ = true;
        ledger_backoff_ms_ = 1000;
        next_ledger_try_ms_ = clock_() + ledger_backoff_ms_;
    }
}

void KioskHost::retry_ledger(int64_t now) {
    if ((!ledger_down_ && reception_->kept().empty()) || now < next_ledger_try_ms_ || ledger_probe_running_) return;
    if (ledger_down_ && !ledger_answered_) {
        // First a probe on a worker of its own, with its own connection: a server that does not answer at all
        // holds that worker up to libpq's connect_timeout, never a frame (the screen keeps drawing the message
        // and staff input). Its answer crosses back through the UI mailbox.
        ledger_probe_running_ = true;
        probe_->post([this] {
            bool up = false;
            try {
                worker_store(probe_store_).patient_version("");
                up = true;
            } catch (const std::exception&) {
                probe_store_.reset();  // a store that could not open, or lost its server: opened anew next time
            }
            ui_.post([this, up] {
                ledger_probe_running_ = false;
                ledger_answered_ = up;
                if (up)
                    next_ledger_try_ms_ = 0;  // the take-in below, on the next frame
                else
                    ledger_back_off(clock_());
            });
        });
        return;
    }
    ledger_answered_ = false;
    bool ok = true;
    try {
        for (const std::string& file : reception_->retry_kept()) {
            log::info("kiosk", "face/" + file + " taken in after the ledger came back");
            face_taken(file);
            if (auto held = held_faces_.find(file); held != held_faces_.end()) {
                flow::in::FaceResult f = std::move(held->second);
                held_faces_.erase(held);
                f.check_id = reception_->check_id_of(f.file);
                flow::OqsPort::deliver_safely([this](const flow::Input& in) { flow_->handle(in); }, f);
            }
        }
        ok = reception_->kept().empty();
        if (ok) store_->patient_version("");  // the kiosk's own connection answers again
    } catch (const std::exception& e) {
        ok = false;
    }
    if (ok) {
        if (ledger_down_) log::info("kiosk", "the ledger server answers again");
        ledger_down_ = false;
        ledger_backoff_ms_ = 0;
        list_dirty_ = true;
        return;
    }
    ledger_back_off(now);
}

void KioskHost::ledger_back_off(int64_t now) {
    ledger_down_ = true;
    const int64_t max_ms = int64_t(std::max(1, cfg_.ledger_retry_max_seconds)) * 1000;
    ledger_backoff_ms_ = std::min(max_ms, std::max<int64_t>(1000, ledger_backoff_ms_ * 2));
    next_ledger_try_ms_ = now + ledger_backoff_ms_;
}

KioskHost::~KioskHost() {
    watcher_.reset();  // no more changes posted
    bulk_.reset();  // a running 一括照会 stops at its next event wait; the batch resumes at the next start
    oqs_jobs_stop_ = true;
    oqs_jobs_.reset();  // a fetch stops waiting (its request stays outstanding in the transport)
    probe_.reset();  // a probe of a server that does not answer ends at libpq's connect_timeout
    jobs_.reset();
    monitor_.reset();  // stop posting before the flow goes
    card_.reset();
    gateway_->stop();
    ui_.close();  // what is still queued refers to the flow: dropped, never run
}

void KioskHost::on_card_event(const reader::CardEvent& e) {
    using K = reader::CardEvent::Kind;
    if (!e.reader.empty() && !cfg_.reader_pattern.empty() && e.reader.find(cfg_.reader_pattern) == std::string::npos)
        return;  // another reader (the face-auth terminal's own, a keyboard's …)
    switch (e.kind) {
        case K::PcscdAvailable: pcscd_ = true; break;
        case K::PcscdUnavailable: pcscd_ = reader_ = card_present_ = false; break;
        case K::ReaderAppeared: {
            pcscd_ = reader_ = true;
            std::lock_guard lock(reader_mu_);
            reader_name_ = e.reader;
            break;
        }
        case K::ReaderGone: reader_ = card_present_ = false; break;
        case K::CardInserted:
            pcscd_ = reader_ = card_present_ = true;
            ui_.post([this] { flow_->handle(flow::in::CardInserted{}); });
            break;
        case K::CardRemoved:
            card_present_ = false;
            ui_.post([this] { flow_->handle(flow::in::CardRemoved{}); });
            break;
    }
    log::info("kiosk",
              std::string("card monitor: ") + reader::to_string(e.kind) + (e.reader.empty() ? "" : " " + e.reader));
    wake_();
}

void KioskHost::try_start_oqs() {
    if (gateway_->started()) return;
    const fs::path root = cfg_.oqs_root;
    for (const char* d : {"req", "res", "face"})
        if (!fs::is_directory(root / d)) return;
    try {
        gateway_->start();
        log::info("kiosk", "OQS folders ready at " + root.string());
    } catch (const std::exception& e) {
        log::warn("kiosk", std::string("OQS folders not usable yet: ") + e.what());
    }
}

void KioskHost::before_frame(View& view, FrameOutput& out) {
    // Card events, card job results, face/ files (taken in, then offered to the visit) and action results, in
    // the order they were posted. A job that throws is logged by the mailbox and the frame goes on.
    ui_.run_pending();
    const int64_t now = clock_();
    retry_ledger(now);
    if ((ledger_down_ || !reception_->kept().empty()) && !ledger_probe_running_)  // a probe's answer wakes
        out.wake_by(view.now + double(std::max<int64_t>(0, next_ledger_try_ms_ - now)) / 1000.0);
    if (!gateway_->started() && now >= next_oqs_try_ms_) {
        try_start_oqs();
        next_oqs_try_ms_ = now + 2000;
    }
    // 管理 just opened: its staff list now, not up to a second later.
    if (now >= next_status_ms_ || (view.admin_open && !admin_was_open_)) {
        refresh_status(view);
        next_status_ms_ = now + 1000;
    }
    admin_was_open_ = view.admin_open;
    // 受付一覧: opened anew on the list; rebuilt when an event changed it (never on a timer).
    if (view.console_open && !console_was_open_) {
        console_.reset_page();
        list_dirty_ = true;
    }
    console_was_open_ = view.console_open;
    if (list_dirty_) refresh_list();
    view.console = &console_.state();
    deliver_review();
    if (reception_->changed()) {
        view.reception = reception_->lines();
        reception_->clear_changed();
    }
    // While something is missing, look again every two seconds (the folder has no one to wake us).
    if (!gateway_->started()) out.wake_by(view.now + 2.0);
}

void KioskHost::refresh_status(View& view) {
    DeviceStatus& d = view.devices;
    d.pcscd = pcscd_;
    d.reader = reader_;
    d.card = card_present_;
    {
        std::lock_guard lock(reader_mu_);
        d.reader_name = reader_name_;
    }
    d.oqs_folder = gateway_->started();
    d.oqs_root = cfg_.oqs_root.string();
    d.ledger_path = cfg_.ledger_path.string();
    using text::Msg;
    d.problem = ledger_down_    ? Msg::LedgerServerUnreachable
                : !d.pcscd      ? Msg::PcscdNotRunning
                : !d.reader     ? Msg::ReaderNotFound
                : !d.oqs_folder ? Msg::OqsFolderMissing
                                : Msg::None;
    view.backup_available = true;
    view.staff.clear();
    if (view.admin_open) {
        try {
            for (const auto& m : store_->list_staff()) {
                StaffLine line{m.name, m.id, Msg::None};
                if (!m.active)
                    line.state = Msg::StaffInactive;
                else if (!m.locked_until.empty() && flow::parse_local(m.locked_until) > clock_())
                    line.state = Msg::StaffLocked;
                else if (m.hash.empty())
                    line.state = Msg::StaffNoPasscode;
                view.staff.push_back(std::move(line));
            }
        } catch (const std::exception& e) {
            log::warn("kiosk", std::string("staff list not readable now: ") + e.what());
        }
    }
}

// ---------------------------------------------------------------- the reception console


std::string KioskHost::staff_id() const {
    const std::string& id = flow_->visit().staff_id;
    return id.empty() ? "console" : id;
}

ledger::LedgerStore::Options KioskHost::store_options() const {
    ledger::LedgerStore::Options o;
    o.clock = clock_;  // audit rows on the flow's clock
    // PostgreSQL ([ledger] url) only:
    o.password_file = cfg_.ledger_password_file.string();
    o.answer_timeout_ms = cfg_.ledger_answer_timeout_seconds * 1000;
    return o;
}

ledger::LedgerStore& KioskHost::worker_store(std::unique_ptr<ledger::LedgerStore>& slot) {
    if (!slot) {
        ledger::LedgerStore::Options o = store_options();
        o.create = false;
        slot = std::make_unique<ledger::LedgerStore>(ledger::LedgerStore::open(cfg_.ledger_location(), o));
    }
    return *slot;
}

void KioskHost::console_intent(const console::Intent& intent) { console_result(intent); }

void KioskHost::console_result(console::Intent intent) {
    for (const auto& fx : console_.handle(intent)) run_effect(fx);
}

void KioskHost::refresh_list() {
    list_dirty_ = false;
    try {
        const rules::Date day = local_today(clock_());
        console_result(console::in::ListLoaded{day.iso(), intake::reception_list(*store_, day)});
    } catch (const ledger::LedgerError& e) {
        log::warn("kiosk", std::string("the reception list could not be read: ") + e.what());
        if (e.code == ledger::ErrorCode::Unavailable) ledger_unreachable(e);
    } catch (const std::exception& e) {
        log::warn("kiosk", std::string("the reception list could not be read: ") + e.what());
    }
}

void KioskHost::run_effect(const console::Effect& fx) {
    using namespace console;
    if (std::holds_alternative<effect::LoadList>(fx)) {
        list_dirty_ = true;  // built before the next frame, once however many asked
        return;
    }
    if (const auto* f = std::get_if<effect::Search>(&fx)) {
        // One indexed read (kana_key prefix): on this thread, like the list.
        in::Hits hits;
        try {
            ledger::SearchQuery q;
            q.kana = f->kana;
            constexpr size_t kShown = 30;
            auto found = store_->search(q, kShown + 1);
            hits.too_many = found.size() > kShown;
            if (hits.too_many) found.resize(kShown);
            for (const auto& p : found)
                hits.hits.push_back({p.patient.karte, p.patient.kanji_name, p.patient.kana_name, p.patient.birth});
        } catch (const std::exception& e) {
            console_result(in::Failed{reason(e)});
            return;
        }
        console_result(std::move(hits));
        return;
    }
    if (const auto* f = std::get_if<effect::Add>(&fx)) {
        jobs_->post([this, karte = f->karte, staff = staff_id(), auto_query = cfg_.auto_query] {
            in::Added added;
            added.karte = karte;
            try {
                auto& store = worker_store(job_store_);
                const rules::Date today = local_today(clock_());
                added.added = store.receive(karte, today.iso(), staff).added;
                if (added.added && auto_query) {
                    try {
                        intake::send_single_query(store, *gateway_, karte, intake::LimitConsent::Unasked, today,
                                                  staff);
                        added.query_pending = true;
                    } catch (const std::exception& e) {
                        log::warn("kiosk", "karte " + karte + " added without its 単件照会: " + e.what());
                        added.message = reason(e);  // the patient stays on the list
                    }
                }
            } catch (const std::exception& e) {
                log::warn("kiosk", "karte " + karte + " not added: " + e.what());
                ui_.post([this, m = reason(e)] { console_result(in::Failed{m}); });
                return;
            }
            ui_.post([this, added = std::move(added)] { console_result(added); });
        });
        return;
    }
    if (const auto* f = std::get_if<effect::Query>(&fx)) {
        jobs_->post([this, karte = f->karte, consent = f->consent, staff = staff_id()] {
            try {
                auto& store = worker_store(job_store_);
                auto sent = intake::send_single_query(store, *gateway_, karte, consent, local_today(clock_()), staff);
                log::info("kiosk", "単件照会 of karte " + karte + " sent as " + sent.request);
                ui_.post([this, karte, id = sent.check_id] { console_result(in::QueryRecorded{karte, id}); });
            } catch (const std::exception& e) {
                log::warn("kiosk", "単件照会 of karte " + karte + " not sent: " + e.what());
                in::QueryDone done;
                done.karte = karte;
                done.message = text::msg(text::Msg::ConsoleQueryNotSent, -1, -1, text::ja(reason(e)));
                ui_.post([this, done = std::move(done)] { console_result(done); });
            }
        });
        return;
    }
    if (const auto* f = std::get_if<effect::ReadUnregistered>(&fx)) {
        // A face result taken in already (原簿未登録): read back from the ledger, no file is read again.
        try {
            for (const auto& row : store_->intake_list("unmatched", 1000)) {
                if (row.file != f->file) continue;
                auto full = store_->intake_by_sha256(row.sha256);
                if (!full) break;
                const oqs::ParsedFile parsed = oqs::parse_file(full->raw, oqs::MessageKind::Face);
                console::Review r;
                r.result = oqs::qualification_result(parsed.message);
                r.raw_xml = oqs::to_utf8(full->raw, parsed.document.encoding);
                console_result(in::ReviewReady{std::move(r)});
                return;
            }
            log::warn("kiosk", "face result " + f->file + " is not an unmatched intake row");
        } catch (const std::exception& e) {
            console_result(in::Failed{reason(e)});
        }
        return;
    }
    if (const auto* f = std::get_if<effect::Bulk>(&fx)) {
        start_bulk_job(f->selection);
        return;
    }
    // 患者原簿 (core/console/patient_page): reads and audited writes on the console's worker.
    if (const auto* f = std::get_if<effect::Patient>(&fx)) {
        jobs_->post([this, e = f->effect, staff = staff_id()] {
            std::optional<console::PageIntent> back;
            try {
                back = console::run_page_effect(worker_store(job_store_), e, staff);
            } catch (const std::exception& ex) {
                ui_.post([this, m = reason(ex)] { console_result(in::Failed{m}); });
                return;
            }
            if (back) ui_.post([this, b = std::move(*back)] { console_result(in::OnPatient{b}); });
        });
        return;
    }
    // 保険証で資格確認 (typed): sent like a 単件照会; a registered patient's check is 照会中 at once.
    if (const auto* f = std::get_if<effect::TypedQuery>(&fx)) {
        jobs_->post([this, q = f->query, staff = staff_id()] {
            try {
                const console::TypedSent sent = console::send_typed_query(worker_store(job_store_), *gateway_, q, staff);
                log::info("kiosk", "typed card query" + (q.karte.empty() ? std::string(" (no patient yet)")
                                                                          : " of karte " + q.karte) +
                                       " sent as " + sent.request);
                if (q.karte.empty()) {
                    std::lock_guard lock(typed_mu_);
                    typed_request_ = sent.request;
                } else {
                    ui_.post([this, karte = q.karte, id = sent.check_id] {
                        console_result(in::QueryRecorded{karte, id});
                    });
                }
            } catch (const std::exception& e) {
                log::warn("kiosk", std::string("typed card query not sent: ") + e.what());
                in::QueryDone done;
                done.karte = q.karte;
                done.message = text::msg(text::Msg::ConsoleQueryNotSent, -1, -1, text::ja(reason(e)));
                ui_.post([this, done = std::move(done)] { console_result(done); });
            }
        });
        return;
    }
    // 薬剤・健診: the page read (the stored answers parsed, a PDF's first page rendered) on the console's worker.
    if (const auto* f = std::get_if<effect::Medinfo>(&fx)) {
        jobs_->post([this, karte = f->karte] {
            in::MedinfoLoaded back;
            back.karte = karte;
            try {
                back.page = medinfo::open_page(worker_store(job_store_), karte);
            } catch (const std::exception& e) {
                log::warn("kiosk", "薬剤・健診 of karte " + karte + " not readable: " + e.what());
                back.message = text::ja(reason(e));
            }
            ui_.post([this, back = std::move(back)] { console_result(back); });
        });
        return;
    }
    // 取得する: the consent is checked, YZK/TKK goes out and its answer is stored (medinfo::fetch); then the
    // page is read again. On oqs_jobs_: the wait must not hold up the console's other work.
    if (const auto* f = std::get_if<effect::FetchMedinfo>(&fx)) {
        oqs_jobs_->post([this, f = *f, staff = staff_id()] {
            in::MedinfoLoaded back;
            back.karte = f.karte;
            try {
                auto& store = worker_store(oqs_store_);
                medinfo::FetchOptions opt;
                opt.kind = f.kind;
                opt.pdf = f.pdf;
                opt.medical_institution_code = cfg_.medical_institution_code;
                opt.wait = oqs_wait();
                opt.now_ms = clock_();
                opt.staff_id = staff;
                oqs::EventWaiter waiter;
                auto subscribed = listen(waiter);
                const medinfo::FetchResult r =
                    medinfo::fetch(store, gateway_->transport(), next_event(waiter), f.karte, opt);
                subscribed.reset();
                const bool stored = r.outcome == medinfo::FetchResult::Outcome::Stored;
                log::info("kiosk", std::string(oqs::medinfo::kind_code(f.kind)) + " of karte " + f.karte +
                                       (stored ? " stored from " + r.request : ": " + r.error_en));
                back.message = stored ? medinfo::text(medinfo::Text::FetchedNow) : r.message_ja;
                back.refused = !stored;
                back.page = medinfo::open_page(store, f.karte);
            } catch (const std::exception& e) {
                log::warn("kiosk", "薬剤・健診 of karte " + f.karte + " not fetched: " + e.what());
                back.message = text::ja(reason(e));
                back.refused = true;
            }
            ui_.post([this, back = std::move(back)] { console_result(back); });
        });
        return;
    }
    // 訪問等資格確認: OQSmuhvq01req for the 確認期間, then 02req until the list is ready.
    if (const auto* f = std::get_if<effect::HomeVisit>(&fx)) {
        oqs_jobs_->post([this, f = *f] {
            in::HomeVisitLoaded back;
            try {
                oqs::EventWaiter waiter;
                auto subscribed = listen(waiter);
                back.list = medinfo::home_visit_list(worker_store(oqs_store_), gateway_->transport(),
                                                     next_event(waiter), cfg_.medical_institution_code, f.from, f.to,
                                                     oqs_wait(), std::chrono::seconds(std::max(1, cfg_.bulk_poll_seconds)));
            } catch (const std::exception& e) {
                back.list.error_en = e.what();
            }
            if (!back.list.ok) log::warn("kiosk", "訪問等 list not received: " + back.list.error_en);
            ui_.post([this, back = std::move(back)] { console_result(back); });
        });
        return;
    }
    // Typed 新患登録 / 保険証変更: one plan, one transaction with its audit row.
    if (const auto* f = std::get_if<effect::TypedApply>(&fx)) {
        jobs_->post([this, plan = f->plan, staff = staff_id()] {
            console::typed_in::Written w;
            try {
                const ledger::ApplyResult r = worker_store(job_store_).apply(plan, staff);
                w.ok = true;
                w.karte = r.karte;
                w.message = plan.kind == ledger::PlanKind::SwitchCard
                                ? text::msg(text::Msg::TypedSwitched, -1, -1, plan.switch_date)
                                : text::msg(text::Msg::TypedRegistered, -1, -1, r.karte);
                log::info("kiosk", std::string("typed ") + ledger::to_code(plan.kind) + " of karte " + r.karte +
                                       ": audit " + std::to_string(r.audit_id));
            } catch (const std::exception& e) {
                log::warn("kiosk", std::string("typed plan refused: ") + e.what());
                w.message = reason(e);
            }
            ui_.post([this, w = std::move(w)] { console_result(in::OnTyped{w}); });
        });
        return;
    }
}

// ---- 薬剤・健診, 訪問等資格確認 and 照会番号登録 (docs/medinfo.md)

std::shared_ptr<void> KioskHost::listen(oqs::EventWaiter& waiter) {
    {
        std::lock_guard lock(bulk_sink_mu_);
        oqs_job_sink_ = waiter.sink();
    }
    return std::shared_ptr<void>(nullptr, [this](void*) {
        std::lock_guard lock(bulk_sink_mu_);
        oqs_job_sink_ = nullptr;
    });
}

medinfo::NextEvent KioskHost::next_event(oqs::EventWaiter& waiter) {
    return [this, &waiter](std::chrono::milliseconds left) -> std::optional<oqs::OqsEvent> {
        const auto until = std::chrono::steady_clock::now() + left;
        for (;;) {
            const auto now = std::chrono::steady_clock::now();
            if (oqs_jobs_stop_ || now >= until) return std::nullopt;
            const auto slice = std::min<std::chrono::milliseconds>(
                std::chrono::milliseconds(200), std::chrono::duration_cast<std::chrono::milliseconds>(until - now));
            if (auto e = waiter.wait(slice)) return e;
        }
    };
}

std::chrono::milliseconds KioskHost::oqs_wait() const { return std::chrono::seconds(cfg_.oqs_timeout_seconds); }

void KioskHost::register_reference(const std::string& karte, const std::string& staff_id) {
    oqs_jobs_->post([this, karte, staff_id] {
        text::Message notice;
        try {
            oqs::EventWaiter waiter;
            auto subscribed = listen(waiter);
            const medinfo::RegistrationResult r =
                medinfo::register_reference(worker_store(oqs_store_), gateway_->transport(), next_event(waiter), karte,
                                            cfg_.medical_institution_code, oqs_wait(), staff_id);
            if (r.outcome == medinfo::RegistrationResult::Outcome::Registered) {
                log::info("kiosk", "照会番号 of karte " + karte + " registered (" + r.request + ")");
                notice = text::msg(text::Msg::ReferenceRegistered, -1, -1, r.reference_number);
            } else {
                log::warn("kiosk", "照会番号 of karte " + karte + " not registered: " + r.error_en);
                notice = text::msg(text::Msg::ReferenceNotRegistered, -1, -1, r.message_ja);
            }
        } catch (const std::exception& e) {
            log::warn("kiosk", "照会番号 of karte " + karte + " not registered: " + e.what());
            notice = text::msg(text::Msg::ReferenceNotRegistered, -1, -1, text::ja(reason(e)));
        }
        ui_.post([this, notice] {
            console_result(console::in::Notice{notice});
            list_dirty_ = true;
        });
    });
}

void KioskHost::on_request_event(const oqs::OqsEvent& e) {
    if (!is_single_query(e.request)) return;  // 一括照会's own: its worker follows them
    {
        // The typed query of a patient not in the 原簿 yet: nothing recorded; 差分確認 matches or registers.
        std::unique_lock lock(typed_mu_);
        if (!typed_request_.empty() && e.request == typed_request_) {
            console::in::QueryDone done;
            if (e.type == oqs::OqsEvent::Type::TimedOut) {
                done.message = text::msg(text::Msg::ConsoleNoAnswer);
            } else if (e.type == oqs::OqsEvent::Type::Answer && e.result) {
                if (e.result->status == oqs::Status::Querying) return;  // 処理中: still waiting
                done.answered = true;
                done.result = e.result;
                if (e.message) done.raw_xml = oqs::serialize(*e.message, oqs::Encoding::Utf8);
            } else {
                done.message = text::msg(text::Msg::ConsoleQueryNotSent, -1, -1, e.error.empty() ? e.file : e.error);
            }
            typed_request_.clear();
            lock.unlock();
            console_result(std::move(done));
            return;
        }
    }
    // On the console's worker, after the job that sent it (the check is recorded before this runs).
    jobs_->post([this, e, staff = staff_id()] {
        console::in::QueryDone done;
        try {
            auto& store = worker_store(job_store_);
            auto pending = store.pending_check(e.request);
            if (!pending) return;  // answered already, or not ours
            done.karte = pending->karte;
            done.check_id = pending->id;
            if (e.type == oqs::OqsEvent::Type::TimedOut) {
                done.message = text::msg(text::Msg::ConsoleNoAnswer);  // stays 照会中; a late answer still lands
            } else if (intake::record_single_answer(store, pending->id, e, staff)) {
                done.answered = true;
                if (e.type == oqs::OqsEvent::Type::Answer && e.result) {
                    done.result = e.result;
                    if (e.message) done.raw_xml = oqs::serialize(*e.message, oqs::Encoding::Utf8);
                }
            } else {
                return;  // 処理中: still waiting
            }
        } catch (const std::exception& ex) {
            log::warn("kiosk", "the answer " + e.file + " could not be recorded: " + ex.what());
            done.message = reason(ex);
        }
        ui_.post([this, done = std::move(done)] { console_result(done); });
    });
}

// An answer ready for 差分確認 opens it when staff are on カード待ち (signed in, not locked); otherwise it
// waits there until they are.
void KioskHost::deliver_review() {
    const auto& s = console_.state();
    if (!s.review) return;
    const flow::Visit& v = flow_->visit();
    if (v.step() != flow::Step::AwaitCard || !v.authenticated) return;
    const console::Review& r = *s.review;
    flow_->handle(flow::in::ReviewAnswer{r.result, r.raw_xml, r.karte, r.check_id});
    console_result(console::in::ReviewTaken{});
}

void KioskHost::start_bulk_job(console::BulkSelection selection) {
    bulk_->post([this, selection, staff = staff_id()] {
        console::BulkView view;
        view.selection = console::selection_code(selection);
        try {
            auto& store = worker_store(bulk_store_);
            const rules::Date today = local_today(clock_());
            std::vector<std::string> kartes;
            if (selection == console::BulkSelection::DueThisMonth) {
                kartes = store.kartes_due(rules::Date{today.year, today.month, 1}.iso());
            } else {
                const rules::Date day = selection == console::BulkSelection::Today ? today : today.add_days(1);
                for (const auto& r : store.reception_rows(day.iso())) kartes.push_back(r.entry.karte);
            }
            intake::BulkOptions opt;
            opt.medical_institution_code = cfg_.medical_institution_code;
            opt.today = today;
            opt.root = cfg_.oqs_root;
            opt.staff_id = staff;
            const intake::BulkStart started =
                intake::start_bulk(store, gateway_->transport(), kartes, view.selection, opt);
            if (!started.batch_id) {
                view.message = text::msg(text::Msg::ConsoleBulkNobody);
                ui_.post([this, view] { console_result(console::in::BulkUpdate{view}); });
                return;
            }
            log::info("kiosk", "bulk query batch " + std::to_string(started.batch_id) + " sent as " +
                                   started.request + " (" + std::to_string(started.skipped.size()) + " skipped)");
            follow_bulk(started.batch_id, false, staff);
        } catch (const Stopping&) {
            throw;
        } catch (const std::exception& e) {
            log::warn("kiosk", std::string("bulk query not started: ") + e.what());
            view.message = text::msg(text::Msg::ConsoleBulkFailed, -1, -1, text::ja(reason(e)));
            ui_.post([this, view] { console_result(console::in::BulkUpdate{view}); });
        }
    });
}

// On bulk_: follows the batch to its end, one poll interval at a time, posting its counts after each.
void KioskHost::follow_bulk(int64_t batch_id, bool resumed, const std::string& staff) {
    oqs::EventWaiter waiter;
    {
        std::lock_guard lock(bulk_sink_mu_);
        bulk_sink_ = waiter.sink();
    }
    struct Unsubscribe {
        KioskHost* h;
        ~Unsubscribe() {
            std::lock_guard lock(h->bulk_sink_mu_);
            h->bulk_sink_ = nullptr;
        }
    } unsubscribe{this};
    auto& store = worker_store(bulk_store_);
    intake::BulkOptions opt;
    opt.medical_institution_code = cfg_.medical_institution_code;
    opt.today = local_today(clock_());
    opt.root = cfg_.oqs_root;
    opt.poll_interval = std::chrono::seconds(std::max(1, cfg_.bulk_poll_seconds));
    opt.wait = opt.poll_interval;
    opt.staff_id = staff;
    // The wait for the next event, in slices, so a stopping kiosk is not held up by a poll interval. The
    // thread is asked through its own pointer: while ~KioskHost joins it, bulk_ already reads null.
    const JobThread* const thread = bulk_.get();
    const intake::NextEvent next = [thread, &waiter](std::chrono::milliseconds left) -> std::optional<oqs::OqsEvent> {
        const auto until = std::chrono::steady_clock::now() + left;
        for (;;) {
            if (thread->stopping()) throw Stopping{};
            const auto now = std::chrono::steady_clock::now();
            if (now >= until) return std::nullopt;
            const auto slice = std::min<std::chrono::milliseconds>(
                std::chrono::milliseconds(200), std::chrono::duration_cast<std::chrono::milliseconds>(until - now));
            if (auto e = waiter.wait(slice)) return e;
        }
    };
    auto post = [this, resumed](const intake::BulkSummary& s) {
        console::BulkView v;
        v.batch_id = s.batch_id;
        v.resumed = resumed;
        v.state = s.state;
        v.reception_number = s.reception_number;
        v.running = s.state == "sent" || s.state == "polling" || s.state == "sending";
        v.sent = s.sent;
        v.answered = s.answered;
        for (const auto& [key, n] : s.by_status) {
            if (key == "valid" || key == "valid_unregistered")
                v.valid += n;
            else if (key == "invalid" || key == "invalid_new_qualification")
                v.lost += n;
            else if (key == "not_found")
                v.none += n;
            else
                v.error += n;
        }
        if (!s.message.empty()) v.message = text::msg(text::Msg::ConsoleBulkFailed, -1, -1, s.message);
        ui_.post([this, v] { console_result(console::in::BulkUpdate{v}); });
    };
    try {
        post(intake::bulk_summary(store, batch_id));
        for (;;) {
            const intake::BulkSummary s = intake::run_bulk(store, gateway_->transport(), next, batch_id, opt);
            post(s);
            if (s.state != "sent" && s.state != "polling") break;
        }
    } catch (const Stopping&) {
        log::info("kiosk", "bulk query batch " + std::to_string(batch_id) + " left to resume at the next start");
    }
}

std::function<std::string()> KioskHost::backup_job() const {
    ledger::LedgerStore::Options o = store_options();
    o.create = false;
    o.read_only = true;
    return [path = cfg_.ledger_location(), o, dir = cfg_.backup_dir, keep = size_t(cfg_.backup_keep_days)] {
        // Its own connection: the UI thread keeps using the kiosk's store meanwhile (WAL readers never block).
        // A PostgreSQL ledger ([ledger] url) refuses: it is backed up with pg_dump (docs/ledger-postgres.md).
        auto store = ledger::LedgerStore::open(path, o);
        auto written = store.daily_backup(dir, keep);
        if (!written) {  // today's daily copy exists: an extra one, named by the time
            std::string stamp = util::format_local(o.clock());
            for (char& c : stamp)
                if (c == ':') c = '-';
            fs::path file = dir / ("ledger-" + stamp + ".sqlite");
            store.backup_to(file);
            written = file;
        }
        return written->string();
    };
}

}  // namespace onshi::kiosk
