// onshi-card-emulator: a My Number card on vpcd (pcscd's virtual reader), for tests and training mode.
//   onshi-card-emulator --profile FILE [--port 35973] [--host 127.0.0.1] [--state-dir DIR] [--removed]
//                       [--pull-after N] [--slow MS] [--corrupt-photo] [--wrong-signature] [--clone]
//                       [--tries-b N] [--write-photo OUT.jp2]
// stdin commands, one a line: insert | remove | pull-after N | slow MS | quit. Answers "ok ..." on stdout.
// Closing the TCP connection is what vpcd sees as the card leaving the reader.
// The default port is the vpcd of the private pcscd that scripts/pcscd-vpcd.sh runs (ONSHI_VPCD_PORT, else
// 35973); a system pcscd with Debian's stock /etc/reader.conf.d/vpcd listens on 35963 (--port 35963).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/util/files.hpp"
#include "reader/emulator/card.hpp"
#include "reader/emulator/synthetic.hpp"
#include "reader/mynumber/image.hpp"

using namespace onshi;
using namespace onshi::emulator;

namespace {

struct Link {
    std::mutex m;
    std::condition_variable cv;
    bool inserted = true;
    bool quit = false;
    int fd = -1;
    long pull_after = 0;  // 0 = never; counts APDUs since insertion
    long apdus = 0;
    int slow_ms = 0;

    void pull() {  // caller holds m
        if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
    }
};

bool read_all(int fd, void* buf, std::size_t n) {
    auto* p = static_cast<std::uint8_t*>(buf);
    while (n) {
        ssize_t r = ::recv(fd, p, n, MSG_WAITALL);
        if (r <= 0) return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

bool send_frame(int fd, const Bytes& payload) {
    Bytes f = reader::join({static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size())},
                           payload);
    std::size_t off = 0;
    while (off < f.size()) {
        ssize_t w = ::send(fd, f.data() + off, f.size() - off, MSG_NOSIGNAL);
        if (w <= 0) return false;
        off += static_cast<std::size_t>(w);
    }
    return true;
}

int connect_to(const std::string& host, int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// One inserted period: serve vpcd until the connection ends.
void serve(Link& link, Card& card, int fd) {
    while (true) {
        std::uint8_t len[2];
        if (!read_all(fd, len, 2)) return;
        std::size_t n = static_cast<std::size_t>(len[0] << 8 | len[1]);
        Bytes msg(n);
        if (n && !read_all(fd, msg.data(), n)) return;
        if (n == 1) {
            if (msg[0] == 0x04) {
                if (!send_frame(fd, Card::atr())) return;
            } else {
                card.power_cycle();  // 00 off, 01 on, 02 reset: no reply
            }
            continue;
        }
        if (n == 0) continue;
        int slow;
        {
            std::lock_guard lk(link.m);
            ++link.apdus;
            if (link.pull_after && link.apdus >= link.pull_after) {
                std::printf("event pulled at apdu %ld\n", link.apdus);
                std::fflush(stdout);
                link.pull_after = 0;
                link.inserted = false;
                return;  // the APDU is never processed: the card left before answering
            }
            slow = link.slow_ms;
        }
        if (slow) std::this_thread::sleep_for(std::chrono::milliseconds(slow));
        Bytes r = card.process(msg);
        if (r.size() < 2) r = {0x6F, 0x00};  // never an empty frame: vpcd would drop the card
        if (!send_frame(fd, r)) return;
    }
}

// A whole decimal word within [lo, hi]; nullopt for anything else ("1e5", "12abc", out of range).
std::optional<long> whole_number(const std::string& s, long lo, long hi) {
    long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

int usage() {
    std::fprintf(stderr,
                 "usage: onshi-card-emulator --profile FILE [--port N] [--host IP] [--state-dir DIR] [--removed]\n"
                 "       [--pull-after N] [--slow MS] [--corrupt-photo] [--wrong-signature] [--clone] [--tries-b N]\n"
                 "       [--write-photo OUT.jp2]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string profile_path, host = "127.0.0.1", state = "/var/tmp/onshi-card-emulator", photo_out;
    int port = 35973, tries_b = -1;
    if (const char* env = std::getenv("ONSHI_VPCD_PORT")) {
        auto v = whole_number(env, 1, 65535);
        if (!v) return usage();
        port = int(*v);
    }
    Faults faults;
    Link link;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        auto number = [&](const std::string& v, long lo, long hi) -> long {
            auto n = whole_number(v, lo, hi);
            if (!n) {
                std::fprintf(stderr, "%s: expected an integer between %ld and %ld, got '%s'\n", a.c_str(), lo, hi,
                             v.c_str());
                std::exit(2);
            }
            return *n;
        };
        try {
            if (a == "--profile")
                profile_path = val();
            else if (a == "--port")
                port = int(number(val(), 1, 65535));
            else if (a == "--host")
                host = val();
            else if (a == "--state-dir")
                state = val();
            else if (a == "--removed")
                link.inserted = false;
            else if (a == "--pull-after")
                link.pull_after = number(val(), 0, 1000000);
            else if (a == "--slow")
                link.slow_ms = int(number(val(), 0, 60000));
            else if (a == "--corrupt-photo")
                faults.corrupt_photo = true;
            else if (a == "--wrong-signature")
                faults.wrong_signature = true;
            else if (a == "--clone")
                faults.clone = true;
            else if (a == "--tries-b")
                tries_b = int(number(val(), 0, 15));
            else if (a == "--write-photo")
                photo_out = val();
            else
                return usage();
        } catch (const std::exception&) {
            return usage();
        }
    }
    if (profile_path.empty()) return usage();
    try {
        Profile p = load_profile(profile_path);
        if (!photo_out.empty()) {  // generate the synthetic photo the profile ships with
            std::uint32_t seed = 2166136261u;
            for (char c : p.id) seed = (seed ^ static_cast<unsigned char>(c)) * 16777619u;
            Grey g = synthetic_face(seed);
            Bytes jp2 = reader::encode_jp2_grey(g.px, g.width, g.height);
            files::write_atomic(photo_out, std::string(jp2.begin(), jp2.end()));
            std::printf("wrote %s (%zu bytes)\n", photo_out.c_str(), jp2.size());
            return 0;
        }
        if (tries_b >= 0) p.tries_b = tries_b;
        Card card(p, load_or_create_keys(state, p.id, p.id, p.cert_serial), faults);
        std::printf("ready %s trust=%s/face_ca.pub.pem\n", p.id.c_str(), state.c_str());
        std::fflush(stdout);

        std::thread net([&] {
            std::unique_lock lk(link.m);
            while (!link.quit) {
                link.cv.wait(lk, [&] { return link.quit || link.inserted; });
                if (link.quit) break;
                lk.unlock();
                int fd = connect_to(host, port);
                lk.lock();
                if (fd < 0) {  // pcscd not (yet) there: try again shortly, like a card waiting in the field
                    link.cv.wait_for(lk, std::chrono::milliseconds(200), [&] { return link.quit; });
                    continue;
                }
                link.fd = fd;
                link.apdus = 0;
                if (!link.inserted) link.pull();
                lk.unlock();
                card.power_cycle();
                serve(link, card, fd);
                lk.lock();
                ::close(fd);
                link.fd = -1;
                if (link.inserted && !link.quit)  // pcscd went away: wait before reconnecting
                    link.cv.wait_for(lk, std::chrono::milliseconds(100), [&] { return link.quit; });
            }
        });

        std::string line;
        while (std::getline(std::cin, line)) {
            std::unique_lock lk(link.m);
            if (line == "quit") break;
            if (line == "insert")
                link.inserted = true;
            else if (line == "remove") {
                link.inserted = false;
                link.pull();
            } else if (auto n =
                           line.rfind("pull-after ", 0) == 0 ? whole_number(line.substr(11), 0, 1000000) : std::nullopt)
                link.pull_after = *n;
            else if (auto ms = line.rfind("slow ", 0) == 0 ? whole_number(line.substr(5), 0, 60000) : std::nullopt)
                link.slow_ms = int(*ms);
            else if (!line.empty()) {
                std::printf("error unknown command: %s\n", line.c_str());
                std::fflush(stdout);
                continue;
            }
            link.cv.notify_all();
            std::printf("ok %s\n", line.c_str());
            std::fflush(stdout);
        }
        {
            std::lock_guard lk(link.m);
            link.quit = true;
            link.pull();
        }
        link.cv.notify_all();
        net.join();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "onshi-card-emulator: %s\n", e.what());
        return 1;
    }
}
