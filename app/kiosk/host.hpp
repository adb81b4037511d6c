#pragma once
// KioskHost: the real ports behind the flow — the ledger (SQLite), the OQS folders (inotify worker, OqsPort),
// the card reader (PC/SC worker + CardMonitor). Workers never touch the flow: they post closures into the UI
// mailbox, which wakes the loop (glfwPostEmptyEvent) and runs before each frame on the UI thread. Kiosk
// actions (backup, scenario switch) run on their own worker (actions.hpp) and post back into the same mailbox.
// Tolerates booting before pcscd, the reader or the OQS folder exist, and recovers when they appear.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "app/kiosk/app_state.hpp"
#include "app/kiosk/reception.hpp"
#include "core/config/kiosk_config.hpp"
#include "core/flow/ledger_port.hpp"
#include "core/flow/visual_confirm_flow.hpp"
#include "core/flow/oqs_port.hpp"
#include "core/util/mailbox.hpp"

namespace onshi::reader {
class PcscCardReader;
class CardMonitor;
struct CardEvent;
}  // namespace onshi::reader

namespace onshi::kiosk {

class KioskHost {
public:
    // Throws ledger::LedgerError when the ledger cannot be opened (corrupt file: the kiosk refuses to run).
    KioskHost(config::KioskConfig cfg, std::function<void()> wake, flow::Clock clock = flow::system_clock());
    ~KioskHost();
    KioskHost(const KioskHost&) = delete;
    KioskHost& operator=(const KioskHost&) = delete;

    flow::VisualConfirmFlow& flow() { return *flow_; }
    ledger::LedgerStore& ledger() { return *store_; }
    // The UI thread's mailbox: workers post closures into it; before_frame() runs them.
    Mailbox& mailbox() { return ui_; }
    // Every frame: what the workers posted (card and OQS events into the flow, action results), folder
    // retry, device status and 管理's staff list into the view.
    void before_frame(View& view, FrameOutput& out);
    // 管理's backup as a job for a worker thread: its own read-only connection to the ledger, the daily copy
    // (or an extra one named by the time when today's exists). Returns the file written; throws on failure.
    std::function<std::string()> backup_job() const;

private:
    void on_card_event(const reader::CardEvent& e);
    void try_start_oqs();
    void refresh_status(View& view);

    config::KioskConfig cfg_;
    std::function<void()> wake_;
    flow::Clock clock_;
    std::unique_ptr<ledger::LedgerStore> store_;
    std::unique_ptr<flow::LedgerPort> ledger_port_;
    Mailbox ui_;                                // before every worker: they post into it until they are gone
    std::unique_ptr<ReceptionList> reception_;  // before the port: its face files go here
    std::unique_ptr<flow::OqsPort> gateway_;
    std::unique_ptr<reader::PcscCardReader> card_;
    std::unique_ptr<flow::VisualConfirmFlow> flow_;
    std::unique_ptr<reader::CardMonitor> monitor_;  // last: its events need the flow

    std::atomic<bool> pcscd_{false}, reader_{false}, card_present_{false};
    std::mutex reader_mu_;
    std::string reader_name_;
    int64_t next_oqs_try_ms_ = 0;
    int64_t next_status_ms_ = 0;
    bool admin_was_open_ = false;
};

}  // namespace onshi::kiosk
