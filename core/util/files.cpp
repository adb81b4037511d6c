#include "core/util/files.hpp"

#include <fcntl.h>
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
        return fail(ReadError::TooLarge, "is " + std::to_string(st.st_size) + " bytes, over the limit of " +
                                             std::to_string(max_bytes));
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

void write_atomic(const std::filesystem::path& path, const std::string& bytes, unsigned mode) {
    auto tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(e));
        }
        done += size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot flush " + tmp.string());
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot rename into " + path.string() + ": " + std::strerror(e));
    }
}

}  // namespace onshi::files
