#include "reader/mynumber/card_face.hpp"

#include <algorithm>

#include "reader/mynumber/tlv.hpp"

namespace onshi::reader {

const char* to_string(FaceReadResult::Status s) {
    using S = FaceReadResult::Status;
    switch (s) {
        case S::Ok: return "ok";
        case S::WrongNumber: return "wrong_number";
        case S::Blocked: return "blocked";
        case S::Refused: return "refused";
        case S::BadInput: return "bad_input";
        case S::CardError: return "card_error";
    }
    return "?";
}

static std::string text(const Tlv* t) { return t ? std::string(t->value.begin(), t->value.end()) : std::string(); }

CardFace parse_card_face(std::span<const std::uint8_t> ef0002, bool decode_images) {
    Tlv outer = parse_tlv(ef0002);
    if (outer.tag != 0xFF20) throw CardError("EF 0002 is not a card face (FF20 expected)");
    auto fields = parse_tlv_list(outer.value);
    CardFace f;
    f.raw.assign(outer.whole.begin(), outer.whole.end());
    const std::uint32_t required[] = {0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF27, 0xDF28};
    for (auto tag : required)
        if (!find_tag(fields, tag))
            throw CardError("the card face lacks a mandatory field (tag " +
                            to_hex(Bytes{std::uint8_t(tag >> 8), std::uint8_t(tag)}) + ")");
    auto get = [&](std::uint32_t tag) { return find_tag(fields, tag); };
    auto bytes = [](const Tlv* t) { return t ? Bytes(t->value.begin(), t->value.end()) : Bytes(); };
    f.birthdate = text(get(0xDF22));
    f.sex = text(get(0xDF23));
    f.expiry = text(get(0xDF29));
    f.card_key = bytes(get(0xDF24));
    f.name_png = bytes(get(0xDF25));
    f.address_png = bytes(get(0xDF26));
    f.photo_jp2 = bytes(get(0xDF27));
    f.signature = bytes(get(0xDF28));
    f.security_code_png = bytes(get(0xDF2A));

    auto cat = [&](std::initializer_list<std::uint32_t> tags) {
        Bytes b;
        for (auto t : tags) b.insert(b.end(), get(t)->whole.begin(), get(t)->whole.end());
        return sha256(b);
    };
    for (const auto& d : {cat({0xDF22, 0xDF23, 0xDF24}), cat({0xDF25, 0xDF26}), cat({0xDF27})})
        f.signed_digests.insert(f.signed_digests.end(), d.begin(), d.end());

    if (decode_images) {
        auto png = [&](const Bytes& b, Image& out, const char* what) {
            if (b.empty()) return;
            try {
                out = decode_png(b);
            } catch (const ImageError& e) {
                f.image_errors.push_back(std::string(what) + ": " + e.what());
            }
        };
        png(f.name_png, f.name, "name image");
        png(f.address_png, f.address, "address image");
        png(f.security_code_png, f.security_code, "security code image");
        try {
            f.photo = decode_jp2(f.photo_jp2);
        } catch (const ImageError& e) {
            f.image_errors.push_back(std::string("photo: ") + e.what());
        }
    }
    return f;
}

TryCounter query_face_tries(Transport& t) {
    select_df(t, kFaceAid);
    select_ef(t, 0x0012);
    return query_tries(t);
}

// The card signs SHA-256(card nonce ‖ our nonce): our half stops a replay of recorded answers.
static std::optional<bool> run_challenge(Transport& t, const CardFace& face, std::string& detail, std::string& step) {
    Pkey key = key_from_tlv(face.card_key);
    if (!key) {
        detail += "the card key (DF24) is malformed; ";
        return false;
    }
    step = "GET CHALLENGE";
    auto ch = t.transmit({0x00, 0x84, 0x00, 0x00, 0x10});
    if (!ch.ok() || ch.data.size() != 16) {
        detail += "GET CHALLENGE failed (" + sw_text(ch.sw) + "); ";
        return false;
    }
    Bytes msg = ch.data, mine = random_bytes(16);
    msg.insert(msg.end(), mine.begin(), mine.end());
    Bytes di = digest_info_sha256(sha256(msg));
    Bytes apdu = join({0x80, 0x2A, 0x00, 0x00, static_cast<std::uint8_t>(di.size())}, di);
    apdu.push_back(0x00);
    step = "COMPUTE SIGNATURE (challenge)";
    auto sig = t.transmit(apdu);
    if (!sig.ok()) {
        detail += "the card refused to sign the challenge (" + sw_text(sig.sw) + "); ";
        return false;
    }
    bool ok = rsa_verify_raw(key.get(), di, sig.data);
    if (!ok) detail += "the challenge signature does not match the card key (clone suspected); ";
    return ok;
}

FaceReadResult read_card_face(Transport& t, const std::string& number, const FaceReadOptions& opt) {
    using S = FaceReadResult::Status;
    FaceReadResult r;
    if (number.size() != 14 ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        r.status = S::BadInput;
        r.message = "照合番号B must be 14 digits (birth YYMMDD + expiry YYYY + security code)";
        return r;
    }
    std::string step = "SELECT 券面事項確認AP";
    try {
        select_df(t, kFaceAid);
        step = "SELECT EF 0012";
        select_ef(t, 0x0012);
        step = "VERIFY (retry counter query)";
        TryCounter c = query_tries(t);
        if (c.blocked) {
            r.status = S::Blocked;
            r.tries_left_before = 0;
            r.message = "照合番号B is blocked on this card; it must be reset at the municipal office";
            return r;
        }
        if (!c.verified && !c.unlimited) {
            r.tries_left_before = c.left;
            if (c.left <= opt.floor) {
                r.status = S::Refused;
                r.message = "only " + std::to_string(c.left) + " tries of 照合番号B left (floor " +
                            std::to_string(opt.floor) + "): not sent; use another confirmation method";
                return r;
            }
        }
        step = "VERIFY 照合番号B";
        Bytes apdu =
            join({0x00, 0x20, 0x00, 0x80, 14}, {reinterpret_cast<const std::uint8_t*>(number.data()), number.size()});
        r.verify_sent = true;
        auto v = t.transmit(apdu);
        if ((v.sw & 0xFFF0) == 0x63C0 || v.sw == 0x6984 || v.sw == 0x6983) {
            r.tries_left_after = (v.sw & 0xFFF0) == 0x63C0 ? (v.sw & 0x0F) : 0;
            r.status = r.tries_left_after == 0 ? S::Blocked : S::WrongNumber;
            r.message = r.tries_left_after == 0
                            ? "照合番号B did not match and the card is now blocked"
                            : "照合番号B did not match; " + std::to_string(r.tries_left_after) + " tries left";
            return r;
        }
        if (!v.ok()) throw CardError(step, v.sw);

        step = "SELECT EF 0002";
        select_ef(t, 0x0002);
        step = "READ BINARY EF 0002";
        Bytes ef2 = read_tlv_file(t);
        r.face = parse_card_face(ef2);
        step = "SELECT EF 0004";
        select_ef(t, 0x0004);
        step = "READ BINARY EF 0004";
        Bytes ef4 = read_tlv_file(t);
        r.status = S::Ok;
        r.message = "card face read";
        std::string& detail = r.authenticity.detail;
        r.authenticity.signature_ok = check_face_signature(*r.face, ef4, opt.trust.get(), detail);
        if (opt.challenge) r.authenticity.challenge_ok = run_challenge(t, *r.face, detail, step);
        settle_verdict(r.authenticity);
        return r;
    } catch (const PcscError& e) {
        r.status = S::CardError;
        if (e.kind == PcscErrorKind::CardRemoved || e.kind == PcscErrorKind::NoCard)
            r.message = "the card was removed during " + step;
        else if (e.kind == PcscErrorKind::NoService)
            r.message = "the card service (pcscd) stopped during " + step;
        else
            r.message = "reader error during " + step + ": " + e.what();
    } catch (const std::exception& e) {  // CardError, TlvError: a card that does not behave like a My Number card
        r.status = S::CardError;
        r.message = std::string("the card answered unexpectedly: ") + e.what();
    }
    if (r.status == S::Ok) return r;
    r.face.reset();
    r.authenticity = {};
    r.authenticity.detail = "not checked: the read did not complete";
    if (r.verify_sent && step == "VERIFY 照合番号B")
        r.message += " (the VERIFY may have counted as a try; query the counter before trying again)";
    else
        r.message += "; nothing was retried";
    return r;
}

}  // namespace onshi::reader
