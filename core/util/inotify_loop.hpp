#pragma once
// InotifyLoop: one worker thread that sleeps on inotify (no polling) for a few folders, plus an eventfd so
// another thread can wake it (to stop, or because a deadline moved). The OQS transport and the simulated
// terminal both run on it. `step` runs on the worker after every wake-up with what changed (empty on a
// timeout or a poke) and returns how long to sleep next, in ms (-1: until something happens). An exception
// from `step` is logged and the loop goes on.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace onshi {

class InotifyLoop {
public:
    struct Change {
        size_t folder = 0;      // index into the folders given to start()
        std::string name;       // entry name inside that folder
        uint32_t mask = 0;      // IN_CLOSE_WRITE, IN_MOVED_TO, …
        bool overflow = false;  // the kernel dropped events: rescan every folder (name is empty)
        bool complete() const;  // closed after writing, or renamed in: the writer is done
    };
    using Step = std::function<int(const std::vector<Change>& changes)>;

    explicit InotifyLoop(std::string log_tag) : tag_(std::move(log_tag)) {}
    ~InotifyLoop() { stop(); }
    InotifyLoop(const InotifyLoop&) = delete;
    InotifyLoop& operator=(const InotifyLoop&) = delete;

    // Watches the folders, then starts the worker, which calls step({}) first.
    // Throws std::runtime_error (with the reason) when a folder cannot be watched.
    void start(const std::vector<std::filesystem::path>& folders, uint32_t mask, Step step);
    void poke();  // any thread: step runs again soon
    void stop();  // any thread but the worker: returns once the worker has left (after its current step)
    bool running() const { return running_; }
    bool stopping() const { return stopping_; }  // for a long step: stop() is waiting

private:
    void run();

    std::string tag_;
    Step step_;
    std::vector<int> watches_;
    int ino_ = -1, wake_ = -1;
    std::atomic<bool> stopping_{false};
    bool running_ = false;
    std::thread worker_;
};

}  // namespace onshi
