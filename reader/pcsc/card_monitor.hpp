#pragma once
// CardMonitor: a worker thread blocked in SCardGetStatusChange (no polling) that reports card and reader
// changes to a caller-supplied sink. The sink runs on the worker thread: it must only queue the event and
// wake the kiosk loop, never touch UI state.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace onshi::reader {

struct CardEvent {
    enum class Kind { ReaderAppeared, ReaderGone, CardInserted, CardRemoved, PcscdUnavailable, PcscdAvailable };
    Kind kind;
    std::string reader;             // empty for the Pcscd* kinds
    std::vector<std::uint8_t> atr;  // CardInserted only
};

const char* to_string(CardEvent::Kind k);

class CardMonitor {
public:
    using Sink = std::function<void(const CardEvent&)>;
    // `retry` is how long to wait before trying pcscd again after it went away (pcscd has no wake-up for that).
    explicit CardMonitor(Sink sink, std::chrono::milliseconds retry = std::chrono::milliseconds(500));
    ~CardMonitor();  // stops and joins
    CardMonitor(const CardMonitor&) = delete;
    CardMonitor& operator=(const CardMonitor&) = delete;
    void stop();

private:
    void run();
    bool watch(std::intptr_t ctx);  // false when pcscd went away

    Sink sink_;
    std::chrono::milliseconds retry_;
    std::atomic<bool> stop_{false};
    std::atomic<std::intptr_t> ctx_{0};
    std::mutex m_;
    std::condition_variable cv_;
    std::thread thread_;
};

}  // namespace onshi::reader
