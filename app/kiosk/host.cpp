#include "app/kiosk/host.hpp"

#include <filesystem>

#include "core/ledger/error.hpp"
#include "core/oqs/error.hpp"
#include "core/util/log.hpp"
#include "reader/pcsc/card_monitor.hpp"
#include "reader/port/pcsc_card_reader.hpp"

namespace onshi::kiosk {

namespace fs = std::filesystem;

KioskHost::KioskHost(config::KioskConfig cfg, std::function<void()> wake, flow::Clock clock)
    : cfg_(std::move(cfg)), wake_(std::move(wake)), clock_(std::move(clock)), ui_(wake_) {
    ledger::LedgerStore::Options store_options;
    store_options.clock = clock_;  // audit rows on the flow's clock
    store_ = std::make_unique<ledger::LedgerStore>(ledger::LedgerStore::open(cfg_.ledger_path, store_options));
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
    reception_->load();
    gateway_ = std::make_unique<flow::OqsPort>(
        to, cfg_.medical_institution_code, ui_, [this](const flow::Input& in) { flow_->handle(in); },
        [this](const std::string& file) { reception_->take_in(file); });

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
}

KioskHost::~KioskHost() {
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
    d.problem = !d.pcscd        ? Msg::PcscdNotRunning
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

std::function<std::string()> KioskHost::backup_job() const {
    return [path = cfg_.ledger_path, dir = cfg_.backup_dir, keep = size_t(cfg_.backup_keep_days), clock = clock_] {
        // Its own connection: the UI thread keeps using the kiosk's store meanwhile (WAL readers never block).
        ledger::LedgerStore::Options o;
        o.create = false;
        o.read_only = true;
        o.clock = clock;
        auto store = ledger::LedgerStore::open(path, o);
        auto written = store.daily_backup(dir, keep);
        if (!written) {  // today's daily copy exists: an extra one, named by the time
            std::string stamp = util::format_local(clock());
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
