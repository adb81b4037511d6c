// Against real pcscd + vpcd + onshi-card-emulator (the ctest fixture starts pcscd).
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "core/util/files.hpp"
#include "reader/emulator/profile.hpp"
#include "reader/mynumber/card_face.hpp"
#include "reader/mynumber/collation.hpp"
#include "reader/mynumber/jpki.hpp"
#include "reader/pcsc/card_monitor.hpp"
#include "tests/reader/emulator_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace onshi;
using namespace onshi::reader;
using onshi::test::EmulatorProcess;
using onshi::test::wait_card;
using Status = FaceReadResult::Status;

namespace {
std::string number_for(const std::string& id) {
    auto p = emulator::load_profile(test::profile_path(id));
    return *collation_b(p.birth, p.expiry.year, p.security_code);
}
std::string wrong_number(std::string n) {
    n.back() = n.back() == '0' ? '1' : '0';
    return n;
}
FaceReadOptions with_trust() {
    FaceReadOptions o;
    o.trust = std::make_shared<TrustStore>(TrustStore::from_pem_files({test::trust_file()}));
    return o;
}
// Remembers the INS byte of every APDU, to find where one protocol step ends and the next begins.
struct Recorder final : Transport {
    explicit Recorder(Transport& t) : inner(t) {}
    Response transmit(const Bytes& apdu) override {
        steps.push_back(apdu.size() > 1 ? apdu[1] : 0);
        return inner.transmit(apdu);
    }
    Transport& inner;
    std::vector<std::uint8_t> steps;
};

int tries_now() {
    Context ctx;
    Card card(ctx, test::kReader);
    return query_face_tries(card).left;
}
}  // namespace

TEST_CASE("happy path: token, certificate, card face with signature and challenge") {
    EmulatorProcess emu("shikaku_ichiro");
    REQUIRE(wait_card(true));
    Context ctx;
    CHECK(find_reader_with_card(ctx) == test::kReader);
    Card card(ctx, test::kReader);
    CHECK(to_hex(card.atr()) == "3BE000FF8131FE4514");
    CHECK(read_token_label(card) == "JPKIAPICCTOKEN2");
    Bytes der = read_auth_certificate(card);
    auto on_disk = files::read(test::state_dir() + "/shikaku_ichiro.auth.cert.der");
    REQUIRE(on_disk);
    CHECK(der == Bytes(on_disk->begin(), on_disk->end()));
    AuthCertificate c = parse_certificate(der);
    CHECK(c.issuer.find("O=JPKI-TEST") != std::string::npos);
    CHECK(c.not_before < c.not_after);

    FaceReadResult r = read_card_face(card, number_for("shikaku_ichiro"), with_trust());
    INFO(r.message << " / " << r.authenticity.detail);
    REQUIRE(r.status == Status::Ok);
    CHECK(r.tries_left_before == 10);
    REQUIRE(r.face);
    CHECK(r.face->birthdate == "19600602");
    CHECK(r.face->sex == "1");
    CHECK(r.face->expiry == "20340602");
    CHECK(r.face->photo.width == 192);
    CHECK(r.face->photo.height == 240);
    CHECK(r.face->name.width > 40);
    CHECK(r.face->security_code.height == 12);
    CHECK(r.face->image_errors.empty());
    CHECK(r.authenticity.signature_ok == true);
    CHECK(r.authenticity.challenge_ok == true);
    CHECK(r.authenticity.verdict == Verdict::Genuine);

    // Without a trust store the signature is not checked: unverified, never "genuine".
    FaceReadResult u = read_card_face(card, number_for("shikaku_ichiro"), FaceReadOptions{});
    CHECK(u.status == Status::Ok);
    CHECK_FALSE(u.authenticity.signature_ok.has_value());
    CHECK(u.authenticity.verdict == Verdict::Unverified);
}

TEST_CASE("a wrong 照合番号B uses one try and reports the count, a right one resets it") {
    EmulatorProcess emu("shikaku_goro");
    REQUIRE(wait_card(true));
    Context ctx;
    Card card(ctx, test::kReader);
    FaceReadResult r = read_card_face(card, wrong_number(number_for("shikaku_goro")), with_trust());
    CHECK(r.status == Status::WrongNumber);
    CHECK(r.tries_left_before == 10);
    CHECK(r.tries_left_after == 9);
    CHECK(r.verify_sent);
    CHECK_FALSE(r.face);
    CHECK(query_face_tries(card).left == 9);
    FaceReadResult ok = read_card_face(card, number_for("shikaku_goro"), with_trust());
    CHECK(ok.status == Status::Ok);
    CHECK(ok.tries_left_before == 9);
    CHECK(query_face_tries(card).verified);
}

TEST_CASE("floor and blocked card: nothing is sent") {
    {
        EmulatorProcess emu("shikaku_nanao", {"--tries-b", "0"});
        REQUIRE(wait_card(true));
        Context ctx;
        Card card(ctx, test::kReader);
        auto q = query_face_tries(card);
        CHECK(q.blocked);
        FaceReadResult r = read_card_face(card, number_for("shikaku_nanao"), with_trust());
        CHECK(r.status == Status::Blocked);
        CHECK_FALSE(r.verify_sent);
        // The card itself answers 6984 to a VERIFY once blocked.
        Bytes v = join({0x00, 0x20, 0x00, 0x80, 14}, Bytes(14, '1'));
        CHECK(card.transmit(v).sw == 0x6984);
    }
    REQUIRE(wait_card(false));
    {
        EmulatorProcess emu("shikaku_nanao", {"--tries-b", "3"});
        REQUIRE(wait_card(true));
        Context ctx;
        Card card(ctx, test::kReader);
        FaceReadResult r = read_card_face(card, wrong_number(number_for("shikaku_nanao")), with_trust());
        CHECK(r.status == Status::WrongNumber);
        CHECK(r.tries_left_after == 2);
        FaceReadResult refused = read_card_face(card, number_for("shikaku_nanao"), with_trust());
        CHECK(refused.status == Status::Refused);
        CHECK(refused.tries_left_before == 2);
        CHECK_FALSE(refused.verify_sent);
        CHECK(refused.message.find("floor") != std::string::npos);
        CHECK(query_face_tries(card).left == 2);
        FaceReadOptions low = with_trust();
        low.floor = 0;
        CHECK(read_card_face(card, number_for("shikaku_nanao"), low).status == Status::Ok);
    }
    REQUIRE(wait_card(false));
}

TEST_CASE("the card pulled at every APDU step: clear message, no extra try") {
    EmulatorProcess emu("fujo_shiro");
    REQUIRE(wait_card(true));
    const std::string good = number_for("fujo_shiro"), bad = wrong_number(good);
    std::vector<std::uint8_t> ins;
    {
        Context ctx;
        Card card(ctx, test::kReader);
        Recorder rec(card);
        REQUIRE(read_card_face(rec, good, with_trust()).status == Status::Ok);
        ins = rec.steps;
    }
    REQUIRE(ins.size() > 8);
    // Every APDU where the command changes (SELECT → READ → SELECT → READ → GET CHALLENGE → SIGN), the second
    // READ of each file (the first after the header) and the last APDU: every step of the protocol.
    std::vector<unsigned> pull_at;
    for (unsigned i = 5; i <= ins.size(); ++i)
        if (i == ins.size() || ins[i - 1] != ins[i - 2] ||
            (ins[i - 1] == 0xB0 && ins[i - 2] == 0xB0 && ins[i - 3] != 0xB0))
            pull_at.push_back(i);
    // Wrong number: APDUs 1..4 are SELECT AP, SELECT EF, counter query, VERIFY. Pulled before the card answers,
    // none of them may cost a try, and the client must not resend anything by itself.
    for (unsigned n = 1; n <= 4; ++n) {
        emu.command("pull-after " + std::to_string(n));
        FaceReadResult r;
        {
            Context ctx;
            Card card(ctx, test::kReader);
            r = read_card_face(card, bad, with_trust());
        }
        INFO("pulled at APDU " << n << ": " << r.message);
        CHECK(r.status == Status::CardError);
        CHECK(r.message.find("removed") != std::string::npos);
        CHECK_FALSE(r.face);
        REQUIRE(wait_card(false));
        emu.command("insert");
        REQUIRE(wait_card(true));
        CHECK(tries_now() == 10);
    }
    // Right number: pulled at each later APDU (face, certificate, challenge) the read fails cleanly.
    for (unsigned n : pull_at) {
        emu.command("pull-after " + std::to_string(n));
        FaceReadResult r;
        {
            Context ctx;
            Card card(ctx, test::kReader);
            r = read_card_face(card, good, with_trust());
        }
        INFO("pulled at APDU " << n << ": " << r.message);
        CHECK(r.status == Status::CardError);
        CHECK(r.message.find("removed") != std::string::npos);
        CHECK(r.authenticity.verdict == Verdict::Unverified);
        REQUIRE(wait_card(false));
        emu.command("insert");
        REQUIRE(wait_card(true));
    }
    CHECK(tries_now() == 10);
}

TEST_CASE("tampered photo, wrong signature or a cloned chip: forged_suspect") {
    struct Case {
        const char* flag;
        bool sig_ok, chal_ok;
    };
    for (auto c :
         {Case{"--corrupt-photo", false, true}, Case{"--wrong-signature", false, true}, Case{"--clone", true, false}}) {
        INFO(c.flag);
        {
            EmulatorProcess emu("kouki_takao", {c.flag});
            REQUIRE(wait_card(true));
            Context ctx;
            Card card(ctx, test::kReader);
            FaceReadResult r = read_card_face(card, number_for("kouki_takao"), with_trust());
            INFO(r.message << " / " << r.authenticity.detail);
            REQUIRE(r.status == Status::Ok);
            CHECK(r.authenticity.signature_ok == c.sig_ok);
            CHECK(r.authenticity.challenge_ok == c.chal_ok);
            CHECK(r.authenticity.verdict == Verdict::ForgedSuspect);
            CHECK_FALSE(r.authenticity.detail.empty());
        }
        REQUIRE(wait_card(false));
    }
}

// A patient swapping cards quickly: the card the handle was connected to leaves and another one is on the
// reader before the first APDU, while pcscd may still report the first. That first transmit used to fail with a
// bare "Transaction failed"; now the card is re-connected once and the APDU sent again, or, if the new card
// does not answer in time, a clear "removed" error (CardRemoved) tells the staff what to do.
TEST_CASE("a card swapped between connect and the first APDU: re-connected once, then a clear message") {
    for (int round = 0; round < 3; ++round) {
        INFO("round " << round);
        std::optional<EmulatorProcess> first;
        first.emplace("shikaku_goro");
        REQUIRE(wait_card(true));
        std::optional<EmulatorProcess> second;
        {
            Context ctx;
            Card card(ctx, test::kReader);
            first->quit(false);                                                   // the first card leaves ...
            second.emplace("shikaku_ichiro", std::vector<std::string>{}, false);  // ... the next is put down at once
            std::optional<std::string> label;
            std::string error;
            PcscErrorKind kind = PcscErrorKind::Other;
            try {
                label = read_token_label(card);
            } catch (const PcscError& e) {
                error = e.what();
                kind = e.kind;
            }
            INFO(error);
            if (label) {
                CHECK(*label == "JPKIAPICCTOKEN2");
            } else {
                CHECK(kind == PcscErrorKind::CardRemoved);
                CHECK(error.find("before its first command") != std::string::npos);
            }
        }
        // However that went, once the old handle is closed the card on the reader reads on a new connection.
        bool read = false;
        for (int i = 0; i < 50 && !read; ++i) {
            try {
                Context ctx;
                Card again(ctx, test::kReader);
                read = read_token_label(again) == "JPKIAPICCTOKEN2";
            } catch (const PcscError&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
        }
        CHECK(read);
    }
}

#ifdef ONSHI_CLI
// The chip's photo is personal data: `onshi card face --photo-out` writes it owner-only and never through a
// symbolic link planted at the path (it used to write 0644 and follow links).
TEST_CASE("onshi card face --photo-out writes 0600 and refuses a symlink") {
    EmulatorProcess emu("shikaku_nanao");
    REQUIRE(wait_card(true));
    onshi::test::TempDir t;
    ::umask(022);
    auto face = [&](const std::filesystem::path& out) {
        std::string cmd = std::string(ONSHI_CLI) + " card face --birth 151011 --expiry 2032 --code 9024 --reader '" +
                          test::kReader + "' --photo-out '" + out.string() + "' >/dev/null 2>&1";
        int rc = std::system(cmd.c_str());
        return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    };
    auto mode = [](const std::filesystem::path& p) {
        struct stat st {};
        return ::lstat(p.c_str(), &st) == 0 ? st.st_mode & 07777 : 0u;
    };
    auto png = [](const std::filesystem::path& p) {
        auto b = files::read(p);
        return b && b->rfind("\x89PNG", 0) == 0;
    };
    const auto fresh = t.path / "photo.png";
    REQUIRE(face(fresh) == 0);
    CHECK(mode(fresh) == 0600);
    CHECK(png(fresh));

    const auto old = t.write("old.png", "junk");
    std::filesystem::permissions(old, std::filesystem::perms(0644));
    REQUIRE(face(old) == 0);
    CHECK(mode(old) == 0600);
    CHECK(png(old));

    const auto target = t.write("target.txt", "keep");
    const auto link = t.path / "link.png";
    std::filesystem::create_symlink(target, link);
    CHECK(face(link) == 1);
    CHECK(std::filesystem::is_symlink(link));
    CHECK(*files::read(target) == "keep");

    const auto dangling = t.path / "dangling.png";
    std::filesystem::create_symlink(t.path / "created-through-link.png", dangling);
    CHECK(face(dangling) == 1);
    CHECK_FALSE(std::filesystem::exists(t.path / "created-through-link.png"));
}
#endif

TEST_CASE("CardMonitor reports insert/remove and survives a pcscd restart") {
    std::mutex m;
    std::vector<CardEvent> events;
    auto count = [&](CardEvent::Kind k) {
        std::lock_guard lk(m);
        int n = 0;
        for (auto& e : events) n += e.kind == k && (e.reader.empty() || e.reader == test::kReader);
        return n;
    };
    auto wait_for = [&](CardEvent::Kind k, int n) {
        for (int i = 0; i < 200 && count(k) < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return count(k) >= n;
    };
    EmulatorProcess emu("shikaku_ichiro", {"--removed"});
    CardMonitor mon([&](const CardEvent& e) {
        std::lock_guard lk(m);
        events.push_back(e);
    });
    CHECK(wait_for(CardEvent::Kind::ReaderAppeared, 1));
    emu.command("insert");
    REQUIRE(wait_for(CardEvent::Kind::CardInserted, 1));
    {
        std::lock_guard lk(m);
        for (auto& e : events)
            if (e.kind == CardEvent::Kind::CardInserted) CHECK(to_hex(e.atr) == "3BE000FF8131FE4514");
    }
    emu.command("remove");
    CHECK(wait_for(CardEvent::Kind::CardRemoved, 1));
    emu.command("insert");
    CHECK(wait_for(CardEvent::Kind::CardInserted, 2));

    // pcscd restarted under a live session: the old handle fails clearly, a new context recovers.
    Context ctx;
    auto card = std::make_unique<Card>(ctx, test::kReader);
    REQUIRE(read_token_label(*card) == "JPKIAPICCTOKEN2");
    REQUIRE(std::system(ONSHI_SOURCE_DIR "/scripts/pcscd-vpcd.sh restart") == 0);
    CHECK_THROWS_AS(read_token_label(*card), PcscError);
    CHECK(wait_for(CardEvent::Kind::PcscdUnavailable, 1));
    CHECK(wait_for(CardEvent::Kind::PcscdAvailable, 1));
    CHECK(wait_for(CardEvent::Kind::CardInserted, 3));
    card.reset();
    REQUIRE(wait_card(true));
    ctx.reset();
    Card again(ctx, test::kReader);
    CHECK(read_token_label(again) == "JPKIAPICCTOKEN2");
    FaceReadResult r = read_card_face(again, number_for("shikaku_ichiro"), with_trust());
    CHECK(r.status == Status::Ok);
}

TEST_CASE("OpenSC reads the same 利用者証明用 certificate byte for byte") {
    EmulatorProcess emu("shikaku_goro");
    REQUIRE(wait_card(true));
    Bytes ours;
    {
        Context ctx;
        Card card(ctx, test::kReader);
        ours = read_auth_certificate(card);
    }
    std::string out = std::string(ONSHI_EMU_STATE) + "/opensc-auth.der";
    std::remove(out.c_str());
    // pkcs15-jpki names the auth certificate ID 01 (path 000A); DER straight from the card, no PEM.
    std::string cmd = "pkcs15-tool --reader 0 --read-certificate 01 --output " + out + " 2>&1";
    std::string log;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p)) log += buf;
        pclose(p);
    }
    INFO("pkcs15-tool said:\n" << log);
    auto pem = files::read(out);
    REQUIRE(pem);
    // pkcs15-tool writes PEM; convert with openssl to compare DER.
    std::string der_file = out + ".der";
    REQUIRE(std::system(("openssl x509 -in " + out + " -outform der -out " + der_file).c_str()) == 0);
    auto theirs = files::read(der_file);
    REQUIRE(theirs);
    CHECK(Bytes(theirs->begin(), theirs->end()) == ours);
}
