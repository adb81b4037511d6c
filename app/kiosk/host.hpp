#pragma once
// KioskHost: the real ports behind the flow — the ledger (SQLite), the OQS folders (inotify worker, OqsPort),
// the card reader (PC/SC worker + CardMonitor). Workers never touch the flow: they post closures into the UI
// mailbox, which wakes the loop (glfwPostEmptyEvent) and runs before each frame on the UI thread. Kiosk
// actions (backup, scenario switch) run on their own worker (actions.hpp) and post back into the same mailbox.
// Tolerates booting before pcscd, the reader or the OQS folder exist, and recovers when they appear.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/kiosk/app_state.hpp"
#include "app/kiosk/actions.hpp"
#include "app/kiosk/reception.hpp"
#include "core/console/console.hpp"
#include "core/config/kiosk_config.hpp"
#include "core/flow/ledger_port.hpp"
#include "core/flow/visual_confirm_flow.hpp"
#include "core/flow/oqs_port.hpp"
#include "core/medinfo/fetch.hpp"
#include "core/util/mailbox.hpp"

namespace onshi::reader {
class PcscCardReader;
class CardMonitor;
struct CardEvent;
}  // namespace onshi::reader

namespace onshi::kiosk {

class KioskHost : public flow::ReferenceRegistrar {
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

    // The reception console (core/console): an intent from its pages (UI thread, after the frame). Its effects
    // run here: the list and kana search on this thread (one indexed query each), ledger writes and OQS
    // requests on the console's worker, the 一括照会 on its own worker; results come back through the mailbox.
    void console_intent(const console::Intent& intent);
    const console::Console& console() const { return console_; }

    // 差分確認's 特健・薬剤等を取得する for a patient OQS knows no 照会番号 of: OQSsiimm01req on oqs_jobs_
    // (medinfo::register_reference records the answer); the outcome comes to 受付一覧 as a notice.
    void register_reference(const std::string& karte, const std::string& staff_id) override;

private:
    // On oqs_jobs_: the next transport event for the job's own waits, in 200 ms slices so a stopping kiosk
    // is not held up (nullopt then). Subscribed while `listen`'s guard lives.
    std::shared_ptr<void> listen(oqs::EventWaiter& waiter);
    medinfo::NextEvent next_event(oqs::EventWaiter& waiter);
    std::chrono::milliseconds oqs_wait() const;
    void on_card_event(const reader::CardEvent& e);
    void try_start_oqs();
    void refresh_status(View& view);
    // The ledger seen from here (docs/ledger-postgres.md, "Live lists", "When the server is down"), UI thread:
    void on_ledger_changed();                      // a commit anywhere: 受付一覧 rebuilt, an open 原簿 read again
    void face_taken(const std::string& file);      // after its intake: on 受付一覧, offered to a waiting visit
    void ledger_unreachable(const std::exception& e);  // Unavailable: say so, retry with backoff
    void retry_ledger(int64_t now);                // due: a probe off this thread, then the kept face files
    void ledger_back_off(int64_t now);             // the next try after the doubled wait, capped
    void run_effect(const console::Effect& fx);
    void console_result(console::Intent intent);  // UI thread: into the model, then its effects
    void refresh_list();
    void on_request_event(const oqs::OqsEvent& e);  // UI thread
    void deliver_review();
    void start_bulk_job(console::BulkSelection selection);
    void follow_bulk(int64_t batch_id, bool resumed, const std::string& staff);  // on bulk_
    ledger::LedgerStore::Options store_options() const;  // from [ledger], for every store the kiosk opens
    ledger::LedgerStore& worker_store(std::unique_ptr<ledger::LedgerStore>& slot);  // opened on first use
    std::string staff_id() const;

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
    std::unique_ptr<reader::CardMonitor> monitor_;  // its events need the flow

    console::Console console_;  // UI thread only
    bool list_dirty_ = true;
    bool console_was_open_ = false;
    // Request events fanned out on the transport's thread to the 一括照会's waiter (when one runs).
    std::mutex bulk_sink_mu_;
    oqs::EventSink bulk_sink_;
    // A typed 保険証 query for a patient not in the 原簿 yet: no check to route its answer by, so its request
    // name (set on the worker once sent, read on the UI thread).
    std::mutex typed_mu_;
    std::string typed_request_;
    // The OQS requests a console job sends and waits for (薬剤・健診, 訪問等, 照会番号登録) on oqs_jobs_: their
    // events fanned out here while one waits.
    oqs::EventSink oqs_job_sink_;  // under bulk_sink_mu_
    std::atomic<bool> oqs_jobs_stop_{false};  // set first when the kiosk stops: their waits end
    std::unique_ptr<ledger::LedgerStore> job_store_, bulk_store_, oqs_store_,
        probe_store_;  // each touched by its own worker only
    // probe_: the ledger server's reconnect probe while it is down (nothing else runs there).
    std::unique_ptr<JobThread> jobs_, bulk_, oqs_jobs_, probe_;  // last: stopped first, before what their jobs use

    std::atomic<bool> pcscd_{false}, reader_{false}, card_present_{false};
    std::mutex reader_mu_;
    std::string reader_name_;
    int64_t next_oqs_try_ms_ = 0;
    int64_t next_status_ms_ = 0;
    bool admin_was_open_ = false;

    // Live lists: a commit anywhere on the ledger reaches the UI mailbox (never a polling loop).
    std::unique_ptr<ledger::LedgerWatcher> watcher_;
    bool page_reload_pending_ = false;
    // While the ledger server cannot be reached: shown, and tried again after 1 s, doubling up to
    // [ledger] retry_max_seconds. Face results kept meanwhile wait here for their intake.
    // The try itself: first a probe on probe_ (a frame never waits for the server), and once it answered the
    // kept face files on this thread.
    bool ledger_down_ = false;
    bool ledger_probe_running_ = false, ledger_answered_ = false;
    int64_t next_ledger_try_ms_ = 0, ledger_backoff_ms_ = 0;
    std::map<std::string, flow::in::FaceResult> held_faces_;
};

}  // namespace onshi::kiosk
