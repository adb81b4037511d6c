#include "reader/pcsc/card_monitor.hpp"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <map>

#include "core/util/log.hpp"

namespace onshi::reader {

const char* to_string(CardEvent::Kind k) {
    switch (k) {
        case CardEvent::Kind::ReaderAppeared: return "reader_appeared";
        case CardEvent::Kind::ReaderGone: return "reader_gone";
        case CardEvent::Kind::CardInserted: return "card_inserted";
        case CardEvent::Kind::CardRemoved: return "card_removed";
        case CardEvent::Kind::PcscdUnavailable: return "pcscd_unavailable";
        case CardEvent::Kind::PcscdAvailable: return "pcscd_available";
    }
    return "?";
}

namespace {
constexpr const char* kPnp = "\\\\?PnP?\\Notification";

bool present(DWORD state) { return (state & SCARD_STATE_PRESENT) && !(state & SCARD_STATE_MUTE); }

std::vector<std::string> list(SCARDCONTEXT ctx, LONG& rv) {
    DWORD len = 0;
    rv = SCardListReaders(ctx, nullptr, nullptr, &len);
    if (rv != SCARD_S_SUCCESS) return {};
    std::string buf(len, '\0');
    rv = SCardListReaders(ctx, nullptr, buf.data(), &len);
    std::vector<std::string> out;
    for (std::size_t i = 0; rv == SCARD_S_SUCCESS && i < buf.size() && buf[i];) {
        out.emplace_back(buf.c_str() + i);
        i += out.back().size() + 1;
    }
    return out;
}
}  // namespace

CardMonitor::CardMonitor(Sink sink, std::chrono::milliseconds retry)
    : sink_(std::move(sink)), retry_(retry), thread_([this] { run(); }) {}

CardMonitor::~CardMonitor() { stop(); }

void CardMonitor::stop() {
    {
        std::lock_guard lk(m_);
        stop_ = true;
        if (auto c = ctx_.load()) SCardCancel(static_cast<SCARDCONTEXT>(c));  // wakes SCardGetStatusChange
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void CardMonitor::run() {
    bool reported_down = false, ever_up = false;
    while (!stop_) {
        SCARDCONTEXT c = 0;
        if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c) != SCARD_S_SUCCESS) {
            if (!reported_down) sink_({CardEvent::Kind::PcscdUnavailable, {}, {}});
            reported_down = true;
            std::unique_lock lk(m_);
            cv_.wait_for(lk, retry_, [this] { return stop_.load(); });
            continue;
        }
        {
            std::lock_guard lk(m_);
            ctx_ = static_cast<std::intptr_t>(c);
            if (stop_) SCardCancel(c);
        }
        if (reported_down || ever_up) sink_({CardEvent::Kind::PcscdAvailable, {}, {}});
        reported_down = false;
        ever_up = true;
        bool alive = watch(static_cast<std::intptr_t>(c));
        {
            std::lock_guard lk(m_);
            ctx_ = 0;
        }
        SCardReleaseContext(c);
        if (!alive && !stop_) {
            sink_({CardEvent::Kind::PcscdUnavailable, {}, {}});
            reported_down = true;
        }
    }
}

// One pcscd lifetime: reader set and card states, blocking until something changes.
bool CardMonitor::watch(std::intptr_t handle) {
    auto ctx = static_cast<SCARDCONTEXT>(handle);
    std::map<std::string, DWORD> known;  // reader -> last event state
    while (!stop_) {
        LONG rv = 0;
        auto names = list(ctx, rv);
        if (rv != SCARD_S_SUCCESS && rv != SCARD_E_NO_READERS_AVAILABLE) return false;
        for (auto it = known.begin(); it != known.end();) {
            bool still = false;
            for (auto& n : names) still = still || n == it->first;
            if (still) {
                ++it;
                continue;
            }
            if (present(it->second)) sink_({CardEvent::Kind::CardRemoved, it->first, {}});
            sink_({CardEvent::Kind::ReaderGone, it->first, {}});
            it = known.erase(it);
        }
        for (auto& n : names)
            if (!known.count(n)) {
                known[n] = SCARD_STATE_UNAWARE;
                sink_({CardEvent::Kind::ReaderAppeared, n, {}});
            }
        std::vector<SCARD_READERSTATE> st(names.size() + 1);
        for (std::size_t i = 0; i < names.size(); ++i) {
            st[i].szReader = names[i].c_str();
            st[i].dwCurrentState = known[names[i]];
        }
        // The PnP pseudo-reader wakes us when readers come or go (pcsc-lite supports it on Linux).
        st.back().szReader = kPnp;
        st.back().dwCurrentState = static_cast<DWORD>(names.size()) << 16;
        rv = SCardGetStatusChange(ctx, INFINITE, st.data(), static_cast<DWORD>(st.size()));
        if (rv == SCARD_E_CANCELLED) return true;
        if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE) continue;  // list again
        if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) return false;
        for (std::size_t i = 0; i < names.size(); ++i) {
            DWORD before = known[names[i]], now = st[i].dwEventState & ~SCARD_STATE_CHANGED;
            bool was = present(before) && before != SCARD_STATE_UNAWARE, is = present(now);
            if (before == SCARD_STATE_UNAWARE) was = false;
            if (is && !was)
                sink_({CardEvent::Kind::CardInserted, names[i],
                       std::vector<std::uint8_t>(st[i].rgbAtr, st[i].rgbAtr + st[i].cbAtr)});
            else if (!is && was)
                sink_({CardEvent::Kind::CardRemoved, names[i], {}});
            // A removal and re-insertion between two calls shows only as a new event counter.
            else if (is && was && ((now >> 16) != (before >> 16))) {
                sink_({CardEvent::Kind::CardRemoved, names[i], {}});
                sink_({CardEvent::Kind::CardInserted, names[i],
                       std::vector<std::uint8_t>(st[i].rgbAtr, st[i].rgbAtr + st[i].cbAtr)});
            }
            if (now & SCARD_STATE_UNAVAILABLE)
                known[names[i]] = SCARD_STATE_UNAWARE;
            else
                known[names[i]] = now;
        }
    }
    return true;
}

}  // namespace onshi::reader
