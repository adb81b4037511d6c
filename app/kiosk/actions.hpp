#pragma once
// Kiosk actions off the frame. The screens only request them (FrameOutput::actions); after ImGui::Render()
// the Frontend hands the slow ones (a ledger backup, a training scenario switch) to this worker. Each runs on
// the worker's own thread, and its outcome comes back as an ActionResult through the UI Mailbox, delivered
// on the UI thread before a later frame. Nothing a job throws reaches the frame loop: it is logged in
// English and the result carries a Japanese message.
#include <functional>
#include <string>
#include <thread>

#include "app/kiosk/app_state.hpp"
#include "core/util/mailbox.hpp"

namespace onshi::kiosk {

// One thread running posted jobs in order (the console's ledger writes and OQS requests, the 一括照会).
// Jobs must not touch the flow or the view: they post their results into the UI Mailbox.
class JobThread {
public:
    JobThread();
    ~JobThread();  // drops queued jobs, waits for the running one
    JobThread(const JobThread&) = delete;
    JobThread& operator=(const JobThread&) = delete;
    void post(Mailbox::Job job) { queue_.post(std::move(job)); }
    bool stopping() const { return queue_.closed(); }  // a long job checks this and returns

private:
    Mailbox queue_;
    std::thread worker_;  // last
};

class ActionWorker {
public:
    struct Jobs {
        std::function<std::string()> backup;                            // the file written; throws on failure
        std::function<text::Msg(const std::string& id)> pick_scenario;  // the label now in place; throws
        std::function<std::string()> put_on_face_reader;  // 研修モード: the face/ file written; throws
    };
    using Deliver = std::function<void(const ActionResult&)>;  // runs on `ui`'s owner thread

    // `ui` must outlive the worker. The jobs run on the worker thread: they must not touch the flow.
    ActionWorker(Jobs jobs, Mailbox& ui, Deliver deliver);
    ~ActionWorker();  // drops queued jobs, waits for the running one
    ActionWorker(const ActionWorker&) = delete;
    ActionWorker& operator=(const ActionWorker&) = delete;

    // UI thread. Queues the action's job and returns true; false when this worker has no job for it.
    bool run(const KioskAction& a);
    // The job bodies, also used by the tests: never throw.
    static ActionResult backup(const Jobs& jobs) noexcept;
    static ActionResult pick(const Jobs& jobs, const std::string& id) noexcept;
    static ActionResult face_reader(const Jobs& jobs) noexcept;

private:
    void loop();

    Jobs jobs_;
    Mailbox& ui_;
    Deliver deliver_;
    Mailbox queue_;       // run by worker_; closed by the destructor
    std::thread worker_;  // last: it starts running queue_ at once
};

}  // namespace onshi::kiosk
