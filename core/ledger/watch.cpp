// LedgerWatcher: the live lists' signal (ledger_store.hpp). PostgreSQL: LISTEN on its own connection and
// thread (sql_pg.cpp, pg::listen); SQLite: a registry of this process's watchers by file.
#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <thread>

#include "core/ledger/detail.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/ledger/sql.hpp"
#include "core/ledger/sql_pg.hpp"

namespace onshi::ledger {
namespace {

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}
using Callback = std::shared_ptr<std::function<void()>>;
std::multimap<std::string, Callback>& registry() {
    static std::multimap<std::string, Callback> r;
    return r;
}

}  // namespace

struct LedgerWatcher::Impl {
    Callback changed;
    std::string key;                 // SQLite: registered under it
    std::unique_ptr<sql::Db> db;     // PostgreSQL: the listening connection
    int stop[2] = {-1, -1};          // PostgreSQL: written to stop the thread
    std::thread thread;
};

std::string local_key(const std::filesystem::path& file) {
    std::error_code ec;
    auto p = std::filesystem::weakly_canonical(file, ec);
    return (ec ? file : p).string();
}

void notify_local(const std::string& key) {
    std::vector<Callback> calls;
    {
        std::lock_guard<std::mutex> lock(registry_mutex());
        auto [b, e] = registry().equal_range(key);
        for (auto it = b; it != e; ++it) calls.push_back(it->second);
    }
    // Outside the lock, so a callback may open a store or end its watcher (the copy keeps it alive).
    // A watcher's failure is its own: the commit that signalled it stands.
    for (const auto& f : calls) {
        try {
            (*f)();
        } catch (...) {
        }
    }
}

LedgerWatcher::LedgerWatcher(const std::filesystem::path& location, std::function<void()> changed,
                             const std::string& password_file)
    : impl_(std::make_unique<Impl>()) {
    impl_->changed = std::make_shared<std::function<void()>>(std::move(changed));
    if (!sql::is_postgres_url(location.string())) {
        impl_->key = local_key(location);
        std::lock_guard<std::mutex> lock(registry_mutex());
        registry().emplace(impl_->key, impl_->changed);
        return;
    }
    sql::PgParams params;
    params.url = location.string();
    params.password = detail::read_password_file(password_file);
    params.read_only = true;
    impl_->db = std::make_unique<sql::Db>(params);
    // LISTEN before the constructor returns: a change the caller makes next (or another counter makes a
    // moment later) is never missed because the thread had not subscribed yet.
    sql::pg::subscribe(*impl_->db->pg());
    if (::pipe2(impl_->stop, O_CLOEXEC) != 0)
        throw LedgerError(ErrorCode::Io, "cannot create the watcher's pipe", "患者原簿の監視を開始できません。");
    Impl* impl = impl_.get();
    impl_->thread = std::thread([impl] { sql::pg::listen(*impl->db->pg(), impl->stop[0], *impl->changed); });
}

LedgerWatcher::~LedgerWatcher() {
    if (!impl_) return;
    if (impl_->thread.joinable()) {
        char b = 1;
        (void)!::write(impl_->stop[1], &b, 1);
        impl_->thread.join();
    }
    for (int fd : impl_->stop)
        if (fd >= 0) ::close(fd);
    if (!impl_->key.empty()) {
        std::lock_guard<std::mutex> lock(registry_mutex());
        auto [b, e] = registry().equal_range(impl_->key);
        for (auto it = b; it != e; ++it)
            if (it->second == impl_->changed) {
                registry().erase(it);
                break;
            }
    }
}

}  // namespace onshi::ledger
