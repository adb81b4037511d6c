#include "core/util/mailbox.hpp"

#include <exception>
#include <string>

#include "core/util/log.hpp"

namespace onshi {

void Mailbox::post(Job job) {
    {
        std::lock_guard lock(mu_);
        if (closed_) return;
        jobs_.push_back(std::move(job));
    }
    cv_.notify_all();
    if (wake_) wake_();
}

size_t Mailbox::run_pending() {
    size_t ran = 0;
    for (size_t todo = size(); todo > 0; --todo) {  // jobs posted meanwhile wait for the next call
        Job job;
        {
            std::lock_guard lock(mu_);
            if (closed_ || jobs_.empty()) break;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        ++ran;
        try {
            job();
        } catch (const std::exception& e) {
            log::error("mailbox", std::string("a posted job failed: ") + e.what());
        } catch (...) {
            log::error("mailbox", "a posted job failed with an unknown exception");
        }
    }
    return ran;
}

size_t Mailbox::run_for(std::chrono::milliseconds timeout) {
    {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, timeout, [&] { return closed_ || !jobs_.empty(); });
    }
    return run_pending();
}

void Mailbox::close() {
    std::deque<Job> dropped;  // destroyed outside the lock
    {
        std::lock_guard lock(mu_);
        closed_ = true;
        dropped.swap(jobs_);
    }
    cv_.notify_all();
    if (wake_) wake_();
}

bool Mailbox::closed() const {
    std::lock_guard lock(mu_);
    return closed_;
}

size_t Mailbox::size() const {
    std::lock_guard lock(mu_);
    return jobs_.size();
}

}  // namespace onshi
