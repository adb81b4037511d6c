// Mailbox (the one way work crosses threads) and InotifyLoop (the shared folder watcher).
#include <sys/inotify.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/util/inotify_loop.hpp"
#include "core/util/mailbox.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST_CASE("jobs posted from other threads run on the owner's thread, in order, and wake it", "[util][mailbox]") {
    std::atomic<int> wakes{0};
    onshi::Mailbox box([&] { ++wakes; });
    std::vector<int> ran;  // touched by the owner only
    const auto owner = std::this_thread::get_id();
    bool all_on_owner = true;
    std::thread worker([&] {
        for (int i = 0; i < 100; ++i)
            box.post([&, i] {
                ran.push_back(i);
                all_on_owner = all_on_owner && std::this_thread::get_id() == owner;
            });
    });
    worker.join();
    CHECK(wakes == 100);
    CHECK(box.size() == 100);
    CHECK(box.run_pending() == 100);
    CHECK(box.run_pending() == 0);
    REQUIRE(ran.size() == 100);
    for (int i = 0; i < 100; ++i) CHECK(ran[size_t(i)] == i);
    CHECK(all_on_owner);
}

TEST_CASE("run_for waits for a job and returns at the timeout without one", "[util][mailbox]") {
    onshi::Mailbox box;
    auto t0 = std::chrono::steady_clock::now();
    CHECK(box.run_for(50ms) == 0);
    CHECK(std::chrono::steady_clock::now() - t0 >= 45ms);
    int n = 0;
    std::thread later([&] {
        std::this_thread::sleep_for(30ms);
        box.post([&] { ++n; });
    });
    CHECK(box.run_for(5s) == 1);
    later.join();
    CHECK(n == 1);
}

TEST_CASE("a job that throws is logged and the next one still runs", "[util][mailbox]") {
    onshi::Mailbox box;
    int after = 0;
    box.post([] { throw std::runtime_error("boom"); });
    box.post([&] { ++after; });
    size_t ran = 0;
    CHECK_NOTHROW(ran = box.run_pending());
    CHECK(ran == 2);
    CHECK(after == 1);
}

TEST_CASE("a job posted while running waits for the next turn, close drops and refuses", "[util][mailbox]") {
    onshi::Mailbox box;
    int n = 0;
    std::function<void()> again = [&] {
        ++n;
        box.post(again);
    };
    box.post(again);
    CHECK(box.run_pending() == 1);  // never loops forever on a job that reposts itself
    CHECK(box.size() == 1);
    box.close();
    CHECK(box.closed());
    CHECK(box.size() == 0);
    box.post([&] { n += 100; });
    CHECK(box.run_for(10ms) == 0);
    CHECK(n == 1);
}

TEST_CASE("the inotify loop reports files written into its folders and stops promptly", "[util][inotify]") {
    fs::path dir = fs::temp_directory_path() / ("onshi-util-test-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "b");
    std::mutex mu;
    std::vector<std::pair<size_t, std::string>> seen;
    std::atomic<int> steps{0};
    onshi::InotifyLoop loop("test");
    loop.start({dir / "a", dir / "b"}, IN_CLOSE_WRITE | IN_MOVED_TO, [&](const auto& changes) {
        ++steps;
        std::lock_guard lk(mu);
        for (const auto& c : changes)
            if (c.complete()) seen.emplace_back(c.folder, c.name);
        return -1;  // nothing timed: sleep until something happens
    });
    std::ofstream(dir / "b" / "x.xml") << "x";
    std::ofstream(dir / "a" / "y.err") << "y";
    auto until = std::chrono::steady_clock::now() + 3s;
    for (;;) {
        {
            std::lock_guard lk(mu);
            if (seen.size() >= 2 || std::chrono::steady_clock::now() > until) break;
        }
        std::this_thread::sleep_for(10ms);
    }
    {
        std::lock_guard lk(mu);
        CHECK(seen == std::vector<std::pair<size_t, std::string>>{{1, "x.xml"}, {0, "y.err"}});
    }
    int before = steps;
    loop.poke();
    until = std::chrono::steady_clock::now() + 3s;
    while (steps == before && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
    CHECK(steps > before);  // a poke runs the step again
    auto t0 = std::chrono::steady_clock::now();
    loop.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 1s);
    CHECK_FALSE(loop.running());
    std::error_code ec;
    fs::remove_all(dir, ec);
}

TEST_CASE("the inotify loop says which folder it cannot watch", "[util][inotify]") {
    onshi::InotifyLoop loop("test");
    try {
        loop.start({"/nonexistent/onshi-folder"}, IN_CLOSE_WRITE, [](const auto&) { return -1; });
        FAIL("start() should throw");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()).find("/nonexistent/onshi-folder") != std::string::npos);
    }
    CHECK_FALSE(loop.running());
}
