#include "core/util/inotify_loop.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/util/log.hpp"

namespace onshi {

bool InotifyLoop::Change::complete() const { return mask & (IN_CLOSE_WRITE | IN_MOVED_TO); }

void InotifyLoop::start(const std::vector<std::filesystem::path>& folders, uint32_t mask, Step step) {
    if (running_) return;
    auto fail = [&](const std::string& what) {
        int e = errno;
        if (ino_ >= 0) ::close(ino_);
        if (wake_ >= 0) ::close(wake_);
        ino_ = wake_ = -1;
        watches_.clear();
        throw std::runtime_error(what + ": " + std::strerror(e));
    };
    ino_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (ino_ < 0) fail("inotify");
    wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_ < 0) fail("eventfd");
    for (const auto& f : folders) {
        int wd = inotify_add_watch(ino_, f.c_str(), mask | IN_ONLYDIR);
        if (wd < 0) fail("cannot watch " + f.string());
        watches_.push_back(wd);
    }
    step_ = std::move(step);
    stopping_ = false;
    running_ = true;
    worker_ = std::thread([this] { run(); });
}

void InotifyLoop::poke() {
    if (wake_ < 0) return;
    uint64_t one = 1;
    if (::write(wake_, &one, sizeof one) < 0) log::error(tag_, "cannot wake the worker");
}

void InotifyLoop::stop() {
    if (!running_) return;
    stopping_ = true;
    poke();
    worker_.join();
    ::close(ino_);
    ::close(wake_);
    ino_ = wake_ = -1;
    watches_.clear();
    running_ = false;
}

void InotifyLoop::run() {
    alignas(inotify_event) char buf[16384];
    std::vector<Change> changes;
    for (;;) {
        int wait_ms = 1000;
        try {
            wait_ms = step_(changes);
        } catch (const std::exception& e) {
            log::error(tag_, e.what());
        }
        changes.clear();
        if (stopping_) return;
        pollfd pfd[2] = {{ino_, POLLIN, 0}, {wake_, POLLIN, 0}};
        int n = ::poll(pfd, 2, wait_ms);
        if (n < 0 && errno != EINTR) {
            log::error(tag_, std::string("poll failed: ") + std::strerror(errno));
            return;
        }
        if (stopping_) return;
        if (n > 0 && (pfd[1].revents & POLLIN)) {
            uint64_t v;
            if (::read(wake_, &v, sizeof v) < 0) {}  // drained; the next step recomputes its deadline
        }
        if (n > 0 && (pfd[0].revents & POLLIN)) {
            for (int reads = 0; reads < 16; ++reads) {  // bounded: a flood of events still lets step run
                ssize_t len = ::read(ino_, buf, sizeof buf);
                if (len <= 0) break;
                for (char* p = buf; p < buf + len;) {
                    auto* ev = reinterpret_cast<inotify_event*>(p);
                    p += sizeof(inotify_event) + ev->len;
                    Change c;
                    c.mask = ev->mask;
                    if (ev->mask & IN_Q_OVERFLOW) {
                        c.overflow = true;
                        changes.push_back(std::move(c));
                        continue;
                    }
                    if (!ev->len || (ev->mask & IN_ISDIR)) continue;
                    auto w = std::find(watches_.begin(), watches_.end(), ev->wd);
                    if (w == watches_.end()) continue;
                    c.folder = size_t(w - watches_.begin());
                    c.name = ev->name;
                    changes.push_back(std::move(c));
                }
            }
        }
    }
}

}  // namespace onshi
