#pragma once
// Mailbox: the one way work crosses threads. Any thread post()s a closure; the thread that owns the mailbox
// runs it (the kiosk's UI loop before each frame, a worker in its loop, the CLI while it waits). The wake
// hook tells a sleeping owner that there is work (the kiosk passes glfwPostEmptyEvent).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace onshi {

class Mailbox {
public:
    using Job = std::function<void()>;
    explicit Mailbox(std::function<void()> wake = {}) : wake_(std::move(wake)) {}
    Mailbox(const Mailbox&) = delete;
    Mailbox& operator=(const Mailbox&) = delete;

    void post(Job job);  // any thread; dropped after close()
    // Owner thread: runs the jobs queued when called, one at a time, and returns how many ran. A job that
    // throws is logged and the next one runs: nothing escapes into the owner's loop.
    size_t run_pending();
    // Waits up to `timeout` for a job (or close()), then run_pending().
    size_t run_for(std::chrono::milliseconds timeout);
    // Drops what is queued, refuses new jobs and wakes the owner. A job already running finishes.
    void close();
    bool closed() const;
    size_t size() const;

private:
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Job> jobs_;
    bool closed_ = false;
    std::function<void()> wake_;
};

}  // namespace onshi
