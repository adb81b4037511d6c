#include "core/util/files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace onshi::files {

std::optional<std::string> read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

BoundedRead read_regular(const std::filesystem::path& path, size_t max_bytes) {
    BoundedRead r;
    auto fail = [&](ReadError e, const std::string& why) {
        r.bytes.clear();
        r.error = e;
        r.message_en = path.string() + ": " + why;
        return r;
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP) return fail(ReadError::Symlink, "is a symbolic link (refused)");
        if (e == ENOENT) return fail(ReadError::Missing, "no such file");
        if (e == ENXIO) return fail(ReadError::NotRegular, "is not a regular file (refused)");
        return fail(ReadError::Io, std::string("cannot open: ") + std::strerror(e));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return fail(ReadError::Io, std::string("cannot stat: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return fail(ReadError::NotRegular, "is not a regular file (refused)");
    if (st.st_size < 0 || size_t(st.st_size) > max_bytes)
        return fail(ReadError::TooLarge,
                    "is " + std::to_string(st.st_size) + " bytes, over the limit of " + std::to_string(max_bytes));
    r.bytes.resize(size_t(st.st_size));
    size_t done = 0;
    for (;;) {
        // One byte of head-room past the size seen: a file that grows past the limit while read is refused.
        if (done == r.bytes.size()) {
            if (r.bytes.size() > max_bytes) break;
            r.bytes.resize(std::min(max_bytes + 1, r.bytes.size() * 2 + 4096));
        }
        ssize_t n = ::read(fd, r.bytes.data() + done, r.bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(ReadError::Io, std::string("cannot read: ") + std::strerror(errno));
        }
        if (n == 0) break;
        done += size_t(n);
    }
    if (done > max_bytes)
        return fail(ReadError::TooLarge, "grew over the limit of " + std::to_string(max_bytes) + " bytes");
    r.bytes.resize(done);
    return r;
}

namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

std::string errno_text(int e) { return std::strerror(e); }

void write_all(int fd, std::string_view bytes, const std::string& what) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("cannot write " + what + ": " + errno_text(errno));
        }
        done += size_t(n);
    }
}

std::string temp_name(const std::filesystem::path& path) {
    return path.string() + ".tmp-" + std::to_string(::getpid());
}

void fsync_dir(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void write_atomic(const std::filesystem::path& path, std::string_view bytes, unsigned mode) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const std::string tmp = temp_name(path);
    Fd f;
    bool named = false;  // true when the data sits under `tmp` (no O_TMPFILE here)
    // Linking an O_TMPFILE in goes through /proc/self/fd (linkat with AT_EMPTY_PATH needs a capability).
    static const bool have_proc = ::access("/proc/self/fd", X_OK) == 0;
    f.fd = have_proc ? ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode) : -1;
    if (f.fd < 0) {
        int e = have_proc ? errno : EOPNOTSUPP;
        if (e != EOPNOTSUPP && e != EISDIR && e != EINVAL)
            throw std::runtime_error("cannot create a file in " + dir.string() + ": " + errno_text(e));
        ::unlink(tmp.c_str());
        f.fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (f.fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + errno_text(errno));
        named = true;
    }
    try {
        write_all(f.fd, bytes, named ? tmp : path.string());
        if (::fsync(f.fd) != 0) throw std::runtime_error("cannot flush " + path.string() + ": " + errno_text(errno));
        if (!named) {
            // Linking the finished file in: straight to `path` when it is new, else next to it and renamed over.
            const std::string self = "/proc/self/fd/" + std::to_string(f.fd);
            if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) == 0) {
                fsync_dir(dir);
                return;
            }
            if (errno != EEXIST) throw std::runtime_error("cannot link " + path.string() + ": " + errno_text(errno));
            ::unlink(tmp.c_str());
            if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) != 0)
                throw std::runtime_error("cannot link " + tmp + ": " + errno_text(errno));
            named = true;
        }
        if (::rename(tmp.c_str(), path.c_str()) != 0)
            throw std::runtime_error("cannot rename into " + path.string() + ": " + errno_text(errno));
    } catch (...) {
        if (named) ::unlink(tmp.c_str());
        throw;
    }
    fsync_dir(dir);
}

size_t remove_stale_temps(const std::filesystem::path& dir) {
    size_t removed = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const size_t at = name.rfind(".tmp-");
        if (at == std::string::npos || at == 0) continue;
        const std::string digits = name.substr(at + 5);
        if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const long pid = std::stol(digits);
        if (pid <= 0 || pid == long(::getpid())) continue;
        if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;  // still running (or not ours to judge)
        std::error_code sec;
        if (!it->is_regular_file(sec) || it->is_symlink(sec)) continue;
        if (std::filesystem::remove(it->path(), sec)) ++removed;
    }
    return removed;
}

}  // namespace onshi::files
