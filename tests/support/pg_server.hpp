#pragma once
// A real PostgreSQL server for the ledger tests: a cluster made with initdb in a folder of its own, started
// with pg_ctl on a unix socket in that folder (no TCP port, no system service), one database per test
// ledger, stopped and removed at the end. Run as root (CI), the cluster belongs to the `postgres` system
// user (initdb refuses root); run as anyone else, to that user. The cluster's files live in memory when
// /dev/shm is a tmpfs with room (`dir/data` links there). docs/ledger-postgres.md, "Tests".
// Header-only: a test that includes it links libpq through onshi_ledger.
#include <fcntl.h>
#include <libpq-fe.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace onshi::test {

class PgServer {
public:
    // Creates and starts a cluster in `dir` (made here; any leftover of an earlier run there is stopped and
    // removed first). Throws std::runtime_error with the server's log when it cannot.
    static std::unique_ptr<PgServer> start(const std::filesystem::path& dir);
    // A server started by another process in `dir` (the CTest fixture's): used, never stopped.
    static std::unique_ptr<PgServer> attach(const std::filesystem::path& dir);
    // Stops the server (immediate shutdown; SIGKILL when that does not end it within 20 s) and removes `dir`
    // with the cluster's files. With `report`, says there how long each step took.
    static void stop(const std::filesystem::path& dir, std::FILE* report = nullptr);
    ~PgServer();
    void keep_running() { owned_ = false; }  // for the fixture's `start`: the server outlives this object
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    // libpq URI of database `name` on the socket.
    std::string url(const std::string& name) const;
    // Creates database `name` (UTF8, collation C) unless it is there; returns its URI.
    std::string database(const std::string& name) const;
    // The database of a test's ledger file: named after the path, created empty the first time.
    std::string database_for(const std::string& file) const;
    // Restarts the server (fast shutdown: every connection is dropped), as a clinic's server restart does.
    void restart() const;
    // A server down for a while: halt() stops it (fast shutdown), resume() starts it again on the same data.
    void halt() const { ctl("stop"); }
    void resume() const { ctl("start"); }
    // Runs SQL on database `name` (outside any store); the first column of the first row, "" if none.
    std::string query(const std::string& name, const std::string& sql) const;
    // The URI of database `name` as login role `role` (made here unless it is there), a member of `onshi`:
    // it reads and writes what `onshi` owns, and its clients can be shut out alone.
    std::string url_as(const std::string& name, const std::string& role) const;
    // Ends `role`'s connections that LISTEN and refuses the role new ones until let_in(role). Returns once
    // the server has refused it one (from the server's log): its client has noticed the loss by then.
    void shut_out_listener(const std::string& name, const std::string& role) const;
    void let_in(const std::string& role) const;

private:
    void ctl(const std::string& action) const;  // pg_ctl stop|start|restart on this cluster, waiting for it
    PgServer(std::filesystem::path dir, bool owned) : dir_(std::move(dir)), owned_(owned) {}
    std::filesystem::path dir_;
    bool owned_ = false;
};

// The server of this test process, or nullptr when the ledger tests run on SQLite. ONSHI_TEST_LEDGER
// chooses: "postgres:DIR" uses the server a CTest fixture started in DIR; "postgres" alone starts one for
// this process (stopped at exit); unset or "sqlite" is SQLite.
PgServer* ledger_pg_server();

namespace pg_detail {
namespace fs = std::filesystem;


// Debian's server programs (postgresql-15): $ONSHI_PG_BINDIR, else the newest /usr/lib/postgresql/*/bin.
inline fs::path bindir() {
    if (const char* e = std::getenv("ONSHI_PG_BINDIR"); e && *e) return e;
    fs::path best;
    std::error_code ec;
    for (const auto& v : fs::directory_iterator("/usr/lib/postgresql", ec))
        if (fs::exists(v.path() / "bin" / "pg_ctl") && v.path() > best.parent_path()) best = v.path() / "bin";
    if (best.empty()) throw std::runtime_error("no PostgreSQL server programs in /usr/lib/postgresql (apt-get install postgresql)");
    return best;
}

// Root runs the server programs as the `postgres` system user (initdb and postgres refuse root).
inline bool as_postgres() { return ::geteuid() == 0; }

inline std::string slurp(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// Runs a server program, its output appended to `log`; its exit status.
inline int run(std::vector<std::string> argv, const fs::path& log) {
    if (as_postgres()) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        int nul = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        if (nul >= 0) ::dup2(nul, 0);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// Where the cluster's files go: a folder in /dev/shm when that is a tmpfs with 4 GiB free (a run's fixture
// server holds about 1 GB of them by its end), else nothing, and they stay in `dir`. Written and thrown away
// within the run, they need no disk: on one, beside a compiler writing its objects, removing them once
// took over a minute.
inline fs::path memory_folder(const fs::path& dir) {
    struct statfs s {};
    if (::statfs("/dev/shm", &s) != 0 || s.f_type != TMPFS_MAGIC) return {};
    if (uint64_t(s.f_bavail) * uint64_t(s.f_bsize) < (uint64_t(4) << 30)) return {};
    return fs::path("/dev/shm") / ("onshi-pg-data-" + dir.filename().string());
}

// The postmaster's pid from `data`/postmaster.pid (its first line), 0 if none or if that process is not a
// postgres one (a file left by a run that ended without stopping it names a pid that may be reused).
inline pid_t postmaster_pid(const fs::path& data) {
    std::ifstream f(data / "postmaster.pid");
    long pid = 0;
    if (!(f >> pid) || pid <= 0) return 0;
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    return comm >> name && name == "postgres" ? pid_t(pid) : 0;
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

inline void give_to_postgres(const fs::path& p) {
    if (!as_postgres()) return;
    struct passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root needs the postgres system user (apt-get install postgresql)");
    if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("cannot chown " + p.string());
}

struct Conn {
    PGconn* c;
    explicit Conn(const std::string& url) : c(PQconnectdb(url.c_str())) {
        if (PQstatus(c) != CONNECTION_OK) {
            std::string err = PQerrorMessage(c);
            PQfinish(c);
            throw std::runtime_error("test server: " + err);
        }
    }
    ~Conn() { PQfinish(c); }
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;
    std::string one(const std::string& sql) const {
        PGresult* r = PQexec(c, sql.c_str());
        const auto st = PQresultStatus(r);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            std::string err = PQresultErrorMessage(r);
            PQclear(r);
            throw std::runtime_error("test server: " + sql + ": " + err);
        }
        std::string out = st == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "";
        PQclear(r);
        return out;
    }
};

}  // namespace pg_detail

inline std::unique_ptr<PgServer> PgServer::start(const std::filesystem::path& dir) {
    stop(dir);
    std::filesystem::create_directories(dir);
    ::chmod(dir.c_str(), 0700);
    pg_detail::give_to_postgres(dir);
    // The programs' output goes to setup.log (written by this process), the server's own to server.log.
    const std::filesystem::path bin = pg_detail::bindir(), data = dir / "data", log = dir / "setup.log",
                                server_log = dir / "server.log";
    if (const auto memory = pg_detail::memory_folder(dir); !memory.empty()) {
        std::filesystem::create_directories(memory);
        ::chmod(memory.c_str(), 0700);
        pg_detail::give_to_postgres(memory);
        std::filesystem::create_directory_symlink(memory, data);
    }
    // C collation and UTF8, as docs/ledger-postgres.md asks of a clinic's database; no fsync (a test
    // cluster is thrown away; the crash test sets its own).
    if (pg_detail::run({(bin / "initdb").string(), "-D", data.string(), "-U", "onshi", "-A", "trust", "-E", "UTF8", "--locale=C",
             "--no-sync", "--no-instructions"},
            log) != 0)
        throw std::runtime_error("initdb failed in " + dir.string() + ":\n" + pg_detail::slurp(log));
    {
        std::ofstream conf(data / "postgresql.conf", std::ios::app);
        conf << "\nlisten_addresses = ''\nunix_socket_directories = '" << dir.string()
             << "'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
                "shared_buffers = 32MB\n";
    }
    if (pg_detail::run({(bin / "pg_ctl").string(), "-D", data.string(), "-l", server_log.string(), "-w", "-t", "60", "start"}, log) != 0)
        throw std::runtime_error("pg_ctl start failed in " + dir.string() + ":\n" + pg_detail::slurp(log) +
                                 pg_detail::slurp(server_log));
    return std::unique_ptr<PgServer>(new PgServer(dir, true));
}

inline std::unique_ptr<PgServer> PgServer::attach(const std::filesystem::path& dir) {
    if (!std::filesystem::exists(dir / "data" / "postmaster.pid"))
        throw std::runtime_error("no test PostgreSQL server running in " + dir.string());
    return std::unique_ptr<PgServer>(new PgServer(dir, false));
}

inline void PgServer::stop(const std::filesystem::path& dir, std::FILE* report) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path data = dir / "data";
    auto t = std::chrono::steady_clock::now();
    if (fs::exists(data / "postmaster.pid", ec)) {
        const pid_t pid = pg_detail::postmaster_pid(data);
        const int rc = pg_detail::run(
            {(pg_detail::bindir() / "pg_ctl").string(), "-D", data.string(), "-m", "immediate", "-w", "-t", "20", "stop"},
            dir / "setup.log");
        // An immediate shutdown that did not end: the postmaster is killed; its children see it gone and exit.
        if (rc != 0 && pid > 0 && ::kill(pid, SIGKILL) == 0) {
            for (int i = 0; i < 1000 && ::kill(pid, 0) == 0; ++i) ::usleep(10000);  // no child of ours to wait on
            if (report) std::fprintf(report, "pg_ctl stop failed (exit %d): postmaster %d killed\n", rc, int(pid));
        }
        if (report) std::fprintf(report, "server stopped in %.1f s\n", pg_detail::seconds_since(t));
    }
    t = std::chrono::steady_clock::now();
    if (fs::is_symlink(data, ec)) {
        const fs::path files = fs::read_symlink(data, ec);
        if (!ec) fs::remove_all(files, ec);
    }
    fs::remove_all(dir, ec);
    if (report) std::fprintf(report, "%s removed in %.1f s\n", dir.c_str(), pg_detail::seconds_since(t));
}

inline void PgServer::ctl(const std::string& action) const {
    if (pg_detail::run({(pg_detail::bindir() / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-l",
                        (dir_ / "server.log").string(), "-m", "fast", "-w", "-t", "60", action},
                       dir_ / "setup.log") != 0)
        throw std::runtime_error("pg_ctl " + action + " failed in " + dir_.string() + ":\n" +
                                 pg_detail::slurp(dir_ / "setup.log"));
}

inline void PgServer::restart() const { ctl("restart"); }

inline PgServer::~PgServer() {
    if (owned_) stop(dir_);
}

inline std::string PgServer::url(const std::string& name) const {
    return "postgresql:///" + name + "?host=" + dir_.string() + "&user=onshi";
}

inline std::string PgServer::database(const std::string& name) const {
    pg_detail::Conn c(url("postgres"));
    if (c.one("SELECT 1 FROM pg_database WHERE datname = '" + name + "'").empty()) {
        try {
            c.one("CREATE DATABASE " + name + " ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0");
        } catch (const std::runtime_error&) {
            if (c.one("SELECT 1 FROM pg_database WHERE datname = '" + name + "'").empty()) throw;  // not a race
        }
    }
    return url(name);
}

inline std::string PgServer::database_for(const std::string& file) const {
    uint64_t h = 1469598103934665603ull;  // FNV-1a of the path: the same file is the same database
    for (unsigned char ch : file) h = (h ^ ch) * 1099511628211ull;
    char name[32];
    std::snprintf(name, sizeof name, "t%016llx", static_cast<unsigned long long>(h));
    return database(name);
}

inline std::string PgServer::query(const std::string& name, const std::string& sql) const {
    pg_detail::Conn c(url(name));
    return c.one(sql);
}

inline std::string PgServer::url_as(const std::string& name, const std::string& role) const {
    pg_detail::Conn c(url("postgres"));
    c.one("DO $$BEGIN CREATE ROLE " + role + " LOGIN IN ROLE onshi; EXCEPTION WHEN duplicate_object THEN NULL; END$$");
    return "postgresql:///" + name + "?host=" + dir_.string() + "&user=" + role;
}

inline void PgServer::shut_out_listener(const std::string& name, const std::string& role) const {
    const std::filesystem::path log = dir_ / "server.log";
    std::error_code ec;
    const auto size = std::filesystem::file_size(log, ec);
    const size_t seen = ec ? 0 : size_t(size);
    pg_detail::Conn c(url(name));
    c.one("ALTER ROLE " + role + " NOLOGIN");
    if (c.one("SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE usename = '" +
              role + "' AND query LIKE 'LISTEN %') t") == "0")
        throw std::runtime_error("no connection of role " + role + " listens");
    const std::string refused = "role \"" + role + "\" is not permitted to log in";
    for (int i = 0; i < 1000; ++i) {
        const std::string text = pg_detail::slurp(log);
        if (text.size() > seen && text.find(refused, seen) != std::string::npos) return;
        ::usleep(10000);  // the server's log file: nothing to wait on but its growth
    }
    throw std::runtime_error("role " + role + " did not try to connect again within 10 s");
}

inline void PgServer::let_in(const std::string& role) const {
    pg_detail::Conn c(url("postgres"));
    c.one("ALTER ROLE " + role + " LOGIN");
}

inline PgServer* ledger_pg_server() {
    static std::once_flag once;
    static std::unique_ptr<PgServer> server;
    std::call_once(once, [] {
        const char* e = std::getenv("ONSHI_TEST_LEDGER");
        std::string v = e ? e : "";
        if (v.rfind("postgres:", 0) == 0) {
            server = PgServer::attach(v.substr(9));
        } else if (v == "postgres") {
            char tmpl[] = "/tmp/onshi-pg-XXXXXX";
            if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
            server = PgServer::start(tmpl);
        } else if (!v.empty() && v != "sqlite") {
            throw std::runtime_error("ONSHI_TEST_LEDGER must be sqlite, postgres or postgres:DIR, not " + v);
        }
    });
    return server.get();
}


}  // namespace onshi::test
