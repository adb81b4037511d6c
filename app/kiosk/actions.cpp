#include "app/kiosk/actions.hpp"

#include <chrono>
#include <exception>

#include "core/ledger/error.hpp"
#include "core/util/log.hpp"

namespace onshi::kiosk {

namespace {

// The Japanese reason for the screen: the ledger says it in Japanese itself; anything else keeps its text.
std::string reason_ja(const std::exception& e) {
    if (const auto* le = dynamic_cast<const ledger::LedgerError*>(&e); le && !le->message_ja.empty())
        return le->message_ja;
    return e.what();
}

}  // namespace

JobThread::JobThread()
    : worker_([this] {
          while (!queue_.closed()) queue_.run_for(std::chrono::hours(1));
      }) {}

JobThread::~JobThread() {
    queue_.close();
    if (worker_.joinable()) worker_.join();
}

ActionWorker::ActionWorker(Jobs jobs, Mailbox& ui, Deliver deliver)
    : jobs_(std::move(jobs)), ui_(ui), deliver_(std::move(deliver)), worker_([this] { loop(); }) {}

ActionWorker::~ActionWorker() {
    queue_.close();  // drops queued jobs; the running one finishes
    if (worker_.joinable()) worker_.join();
}

void ActionWorker::loop() {
    while (!queue_.closed()) queue_.run_for(std::chrono::hours(1));
}

bool ActionWorker::run(const KioskAction& a) {
    auto send = [this](auto job) {
        queue_.post([this, job = std::move(job)] {
            ActionResult r = job();
            ui_.post([d = deliver_, r = std::move(r)] { d(r); });
        });
    };
    if (std::holds_alternative<action::Backup>(a)) {
        if (!jobs_.backup) return false;
        send([this] { return backup(jobs_); });
        return true;
    }
    if (std::holds_alternative<action::PutOnFaceReader>(a)) {
        if (!jobs_.put_on_face_reader) return false;
        send([this] { return face_reader(jobs_); });
        return true;
    }
    if (const auto* p = std::get_if<action::PickScenario>(&a)) {
        if (!jobs_.pick_scenario) return false;
        send([this, id = p->id] { return pick(jobs_, id); });
        return true;
    }
    return false;
}

ActionResult ActionWorker::backup(const Jobs& jobs) noexcept {
    ActionResult r;
    r.kind = ActionResult::Kind::Backup;
    try {
        r.backup_file = jobs.backup();
        r.ok = true;
        r.message = text::msg(text::Msg::BackupDone, -1, -1, r.backup_file);
        log::info("kiosk", "ledger backup written to " + r.backup_file);
    } catch (const std::exception& e) {
        log::error("kiosk", std::string("backup failed: ") + e.what());
        r.message = text::msg(text::Msg::BackupFailed, -1, -1, reason_ja(e));
    } catch (...) {
        log::error("kiosk", "backup failed with an unknown exception");
        r.message = text::msg(text::Msg::BackupFailed);
    }
    return r;
}

ActionResult ActionWorker::pick(const Jobs& jobs, const std::string& id) noexcept {
    ActionResult r;
    r.kind = ActionResult::Kind::Scenario;
    try {
        r.scenario = jobs.pick_scenario(id);
        r.ok = true;
    } catch (const std::exception& e) {
        log::error("training", "scenario " + id + " could not be set up: " + e.what());
        r.message = text::msg(text::Msg::ScenarioFailed, -1, -1, reason_ja(e));
    } catch (...) {
        log::error("training", "scenario " + id + " could not be set up");
        r.message = text::msg(text::Msg::ScenarioFailed);
    }
    return r;
}

ActionResult ActionWorker::face_reader(const Jobs& jobs) noexcept {
    ActionResult r;
    r.kind = ActionResult::Kind::FaceReader;
    try {
        jobs.put_on_face_reader();
        r.ok = true;
    } catch (const std::exception& e) {
        log::error("training", std::string("the simulated face-auth reader failed: ") + e.what());
        r.message = text::msg(text::Msg::ScenarioFailed, -1, -1, reason_ja(e));
    } catch (...) {
        log::error("training", "the simulated face-auth reader failed");
        r.message = text::msg(text::Msg::ScenarioFailed);
    }
    return r;
}

}  // namespace onshi::kiosk
