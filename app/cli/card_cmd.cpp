// `onshi card status|info|face`: the card reader from the command line (no PIN is ever asked for).
#include <fcntl.h>
#include <stb_image_write.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "app/cli/cli.hpp"
#include "core/util/json.hpp"
#include "reader/mynumber/card_face.hpp"
#include "reader/mynumber/collation.hpp"
#include "reader/mynumber/jpki.hpp"
#include "reader/pcsc/card_monitor.hpp"

namespace {
using namespace onshi;
using namespace onshi::reader;

// The reader named by --reader (prefix), else the first one holding a card.
std::string pick_reader(const Context& ctx, const std::optional<std::string>& want) {
    std::string r = find_reader_with_card(ctx, want.value_or(""));
    if (r.empty()) throw std::runtime_error("no card in " + (want ? "reader " + *want : std::string("any reader")));
    return r;
}

int status(cli::Args& args) {
    args.expect_end();
    Json j;
    j["readers"] = Json::array();
    Context ctx;
    for (const auto& name : ctx.readers()) {
        std::string with_card = find_reader_with_card(ctx, name);
        j["readers"].push_back({{"name", name}, {"card_present", with_card == name}});
    }
    std::printf("%s\n", j.dump().c_str());
    return cli::kOk;
}

int info(cli::Args& args) {
    auto want = args.option("--reader");
    args.expect_end();
    Context ctx;
    Card card(ctx, pick_reader(ctx, want));
    Json j;
    j["reader"] = card.reader();
    j["atr"] = to_hex(card.atr());
    j["token_label"] = read_token_label(card);
    AuthCertificate c = parse_certificate(read_auth_certificate(card));
    j["auth_cert"] = {{"serial", c.serial},
                      {"issuer", c.issuer},
                      {"not_before", c.not_before},
                      {"not_after", c.not_after},
                      {"sha256", c.sha256}};
    std::printf("%s\n", j.dump().c_str());
    return cli::kOk;
}

// The chip's photo is personal data: owner-only (0600), and never written through a symbolic link someone
// planted at the path (O_NOFOLLOW refuses it; an existing regular file is truncated and narrowed to 0600).
void write_png(const std::string& path, const Image& img) {
    std::string png;
    auto append = [](void* ctx, void* data, int size) {
        static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
    };
    if (!stbi_write_png_to_func(append, &png, img.width, img.height, 4, img.rgba.data(), img.width * 4))
        throw std::runtime_error("cannot encode the photo as PNG");
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP) throw std::runtime_error(path + " is a symbolic link (refused)");
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(e));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw std::runtime_error(path + " is not a regular file (refused)");
    if (::fchmod(fd, 0600) != 0 || ::ftruncate(fd, 0) != 0)
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    for (std::size_t done = 0; done < png.size();) {
        ssize_t n = ::write(fd, png.data() + done, png.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

int face(cli::Args& args) {
    std::string birth = args.required_option("--birth"), expiry = args.required_option("--expiry"),
                code = args.required_option("--code");
    auto photo_out = args.option("--photo-out");
    auto want = args.option("--reader");
    // Trust store: --trust FILE[,FILE...] or ONSHI_CARD_TRUST; without one the verdict stays "unverified".
    auto trust = args.option("--trust");
    if (!trust && std::getenv("ONSHI_CARD_TRUST")) trust = std::getenv("ONSHI_CARD_TRUST");
    auto floor = args.option("--floor");
    args.expect_end();
    std::string why;
    auto number = collation_b(birth, expiry, code, &why);
    if (!number) throw cli::UsageError(why);
    FaceReadOptions opt;
    if (floor) opt.floor = int(cli::parse_integer("--floor", *floor, 0, 9));
    if (trust) {
        std::vector<std::string> files;
        for (std::size_t a = 0, b; a <= trust->size(); a = b + 1) {
            b = trust->find(',', a);
            if (b == std::string::npos) b = trust->size();
            if (b > a) files.push_back(trust->substr(a, b - a));
        }
        opt.trust = std::make_shared<TrustStore>(TrustStore::from_pem_files(files));
    }
    Context ctx;
    Card card(ctx, pick_reader(ctx, want));
    FaceReadResult r = read_card_face(card, *number, opt);
    Json j;
    j["tries_left_before"] = r.tries_left_before < 0 ? Json(nullptr) : Json(r.tries_left_before);
    if (r.status != FaceReadResult::Status::Ok) {
        j["status"] = to_string(r.status);
        if (r.tries_left_after >= 0) j["tries_left_after"] = r.tries_left_after;
        j["verify_sent"] = r.verify_sent;
        j["error"] = r.message;
        std::printf("%s\n", j.dump().c_str());
        std::fprintf(stderr, "onshi card face: %s\n", r.message.c_str());
        return cli::kFailed;
    }
    j["birthdate"] = r.face->birthdate;
    j["sex"] = r.face->sex;
    j["expiry"] = r.face->expiry;
    j["photo"] = {{"width", r.face->photo.width}, {"height", r.face->photo.height}};
    auto opt_bool = [](std::optional<bool> b) { return b ? Json(*b) : Json(nullptr); };
    j["signature_ok"] = opt_bool(r.authenticity.signature_ok);
    j["challenge_ok"] = opt_bool(r.authenticity.challenge_ok);
    j["verdict"] = to_string(r.authenticity.verdict);
    j["detail"] = r.authenticity.detail;
    if (!r.face->image_errors.empty()) j["image_errors"] = r.face->image_errors;
    if (photo_out && r.face->photo.width > 0) write_png(*photo_out, r.face->photo);
    std::printf("%s\n", j.dump().c_str());
    return cli::kOk;
}

int card_cmd(cli::Args& args) {
    std::string sub = args.next("card subcommand (status|info|face)");
    try {
        if (sub == "status") return status(args);
        if (sub == "info") return info(args);
        if (sub == "face") return face(args);
    } catch (const PcscError& e) {
        std::fprintf(stderr, "onshi card %s: %s\n", sub.c_str(), e.what());
        return cli::kFailed;
    } catch (const cli::UsageError&) {
        throw;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "onshi card %s: %s\n", sub.c_str(), e.what());
        return cli::kFailed;
    }
    throw cli::UsageError("unknown card subcommand: " + sub);
}
}  // namespace

ONSHI_COMMAND("card",
              "card status | info [--reader NAME] | face --birth YYMMDD(和暦) --expiry YYYY --code NNNN "
              "[--photo-out FILE.png] [--trust PEM[,PEM]] [--floor N] [--reader NAME]",
              card_cmd);
