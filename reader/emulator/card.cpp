#include "reader/emulator/card.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/rules/wareki.hpp"
#include "core/util/files.hpp"
#include "reader/emulator/synthetic.hpp"
#include "reader/mynumber/apdu.hpp"
#include "reader/mynumber/collation.hpp"
#include "reader/mynumber/image.hpp"
#include "reader/mynumber/tlv.hpp"

namespace onshi::emulator {

using reader::append_tlv;

namespace {
Bytes sw(std::uint16_t s) { return {static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)}; }
Bytes str(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string yyyymmdd(const rules::Date& d) { return d.oqs(); }

Bytes key_body(EVP_PKEY* k) {  // 90 03 01 00 01 91 82 01 00 <n>
    Bytes b;
    append_tlv(b, 0x90, Bytes{0x01, 0x00, 0x01});
    append_tlv(b, 0x91, reader::rsa_modulus(k));
    return b;
}

// EF 0004: the AP key certified by the test face CA (568 bytes like a real card).
Bytes ap_certificate(EVP_PKEY* ap, EVP_PKEY* ca, const char* subject_id) {
    Bytes body =
        str("6000023\x08\x05"
            "001    ");  // 証明者鍵ID: test-card style
    body.resize(16, ' ');
    Bytes subj = str(subject_id);
    subj.resize(16, ' ');
    body.insert(body.end(), subj.begin(), subj.end());
    Bytes kb = key_body(ap);
    body.insert(body.end(), kb.begin(), kb.end());
    Bytes sig = reader::rsa_sign_raw(ca, reader::digest_info_sha256(reader::sha256(body)));
    Bytes inner, out;
    append_tlv(inner, 0x5F4E, body);
    append_tlv(inner, 0x5F37, sig);
    append_tlv(out, 0x7F21, inner);
    return out;
}

Bytes padded(Bytes b, std::size_t size, std::uint8_t fill = 0xFF) {
    if (b.size() < size) b.resize(size, fill);
    return b;
}

Bytes png_text(const std::string& text, int h) {
    Grey g = render_text(text, h);
    return reader::encode_png_grey(g.px, g.width, g.height);
}
}  // namespace

const Bytes& Card::atr() {
    static const Bytes a{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
    return a;
}

Card::Card(const Profile& p, CardKeys keys, const Faults& f) : keys_(std::move(keys)) {
    auto number_b = reader::collation_b(p.birth, p.expiry.year, p.security_code);
    if (!number_b) throw std::runtime_error("the profile's birth date has no 和暦 form");

    // JPKI-AP
    Ap& j = aps_[0];
    Bytes token = str("JPKIAPICCTOKEN2");
    token.resize(32, ' ');
    token.resize(160, 0x00);
    j.files[0x0006] = {token, {}};
    j.files[0x0008] = {Bytes{0x8F, 0x8F, 0x00}, {}};
    j.files[0x000A] = {keys_.auth_cert, {}};
    j.files[0x000B] = {keys_.jpki_ca_cert, {}};
    j.files[0x0002] = {keys_.jpki_ca_cert, {}};
    j.files[0x0001] = {keys_.sign_cert, {0x001B}};
    j.keys[0x0018] = {"1234", 3, 3};
    j.keys[0x001B] = {"ABC123", 5, 5};
    j.sign_key_ef = 0x0017;
    j.sign_pin_ef = 0x0018;

    // 券面事項入力補助AP: 個人番号 and 基本4情報 as text.
    Ap& t = aps_[1];
    Bytes mn;
    append_tlv(mn, 0xFF10, str(p.kojin_bango));
    t.files[0x0001] = {padded(mn, 17), {0x0011, 0x0014}};
    Bytes four, four_inner, offs;
    std::vector<std::pair<std::uint32_t, Bytes>> items{
        {0xDF22, str(p.name)}, {0xDF23, str(p.address)}, {0xDF24, str(yyyymmdd(p.birth))}, {0xDF25, str(p.sex)}};
    for (auto& [tag, v] : items) append_tlv(four_inner, tag, v);
    append_tlv(offs, 0xDF21, Bytes(8, 0));  // offsets filled below
    Bytes all = offs;
    all.insert(all.end(), four_inner.begin(), four_inner.end());
    append_tlv(four, 0xFF20, all);
    std::size_t hdr = four.size() - all.size(), pos = hdr + offs.size();
    for (std::size_t i = 0; i < items.size(); ++i) {
        four[hdr + 3 + i * 2] = static_cast<std::uint8_t>(pos >> 8);
        four[hdr + 3 + i * 2 + 1] = static_cast<std::uint8_t>(pos);
        pos += reader::parse_tlv(std::span(four).subspan(pos)).whole.size();
    }
    t.files[0x0002] = {padded(four, four.size() + 16), {0x0011, 0x0015}};
    t.files[0x0004] = {ap_certificate(keys_.ap.get(), keys_.face_ca.get(), "TEXTAP"), {}};
    t.keys[0x0011] = {p.text_pin, 3, 3};
    t.keys[0x0014] = {p.kojin_bango, 10, 10};
    t.keys[0x0015] = {*number_b, 10, 10};

    // 券面事項確認AP: the card face.
    Ap& v = aps_[2];
    Bytes photo;
    if (!p.photo.empty()) {
        auto d = files::read(p.photo);
        if (!d) throw std::runtime_error("cannot read photo " + p.photo.string());
        photo.assign(d->begin(), d->end());
    } else {
        std::uint32_t seed = 2166136261u;
        for (char c : p.id) seed = (seed ^ static_cast<unsigned char>(c)) * 16777619u;
        Grey g = synthetic_face(seed);
        photo = reader::encode_jp2_grey(g.px, g.width, g.height);
    }
    Bytes code_png = png_text(p.security_code, 12);
    std::vector<std::pair<std::uint32_t, Bytes>> face{
        {0xDF22, str(yyyymmdd(p.birth))},     {0xDF23, str(p.sex)},
        {0xDF24, key_body(keys_.card.get())}, {0xDF25, png_text(p.name, 40)},
        {0xDF26, png_text(p.address, 32)},    {0xDF27, photo}};
    std::vector<Bytes> tlvs;
    for (auto& [tag, val] : face) {
        Bytes b;
        append_tlv(b, tag, val);
        tlvs.push_back(std::move(b));
    }
    auto digest = [&](std::initializer_list<int> idx) {
        Bytes b;
        for (int i : idx)
            b.insert(b.end(), tlvs[static_cast<std::size_t>(i)].begin(), tlvs[static_cast<std::size_t>(i)].end());
        return reader::sha256(b);
    };
    Bytes digests;
    for (const auto& d : {digest({0, 1, 2}), digest({3, 4}), digest({5})})
        digests.insert(digests.end(), d.begin(), d.end());
    reader::Pkey rogue;
    if (f.wrong_signature) rogue = reader::rsa_generate(2048);
    Bytes sig =
        reader::rsa_sign_raw(f.wrong_signature ? rogue.get() : keys_.ap.get(), reader::digest_info_sha256(digests));
    if (f.corrupt_photo) {
        Bytes& ph = tlvs[5];
        for (std::size_t i = ph.size() / 2; i < ph.size() / 2 + 64 && i < ph.size(); ++i) ph[i] ^= 0x5A;
    }
    Bytes body(9 * 2 + 2, 0), rest;
    body[0] = 0xDF;
    body[1] = 0x21;
    body.resize(2);
    body.push_back(18);
    for (auto& b : tlvs) rest.insert(rest.end(), b.begin(), b.end());
    append_tlv(rest, 0xDF28, sig);
    append_tlv(rest, 0xDF29, str(yyyymmdd(p.expiry)));
    append_tlv(rest, 0xDF2A, code_png);
    // DF21: offsets (from file start) of DF22..DF2A; the outer header is FF 20 82 LL LL (5 bytes).
    std::size_t off = 5 + 3 + 18;
    Bytes offsets;
    for (std::size_t at = 0; at < rest.size();) {
        offsets.push_back(static_cast<std::uint8_t>((off + at) >> 8));
        offsets.push_back(static_cast<std::uint8_t>(off + at));
        at += reader::parse_tlv(std::span(rest).subspan(at)).whole.size();
    }
    offsets.resize(18, 0);
    body.insert(body.end(), offsets.begin(), offsets.end());
    body.insert(body.end(), rest.begin(), rest.end());
    Bytes ef2;
    append_tlv(ef2, 0xFF20, body);
    if (ef2[2] != 0x82) throw std::runtime_error("card face unexpectedly small");
    v.files[0x0002] = {padded(ef2, ef2.size() + 32), {0x0012, 0x0013}};
    v.files[0x0004] = {ap_certificate(keys_.ap.get(), keys_.face_ca.get(), "FACEAP"), {}};
    Bytes ap_info;
    append_tlv(ap_info, 0xFF30, Bytes{0xDF, 0x31, 0x04, 0x06, 0x03, 0x0E, 0x01});
    v.files[0x0003] = {padded(ap_info, 64), {}};
    v.keys[0x0011] = {rules::wareki_yymmdd(p.birth), 10, 10};
    v.keys[0x0012] = {*number_b, std::clamp(p.tries_b, 0, 10), 10};
    v.keys[0x0013] = {p.kojin_bango, 10, 10};
    if (f.clone) clone_key_ = reader::rsa_generate(2048);
}

void Card::power_cycle() {
    ap_ = -1;
    ef_ = 0;
    verified_.clear();
    challenge_.clear();
}

Bytes Card::process(const Bytes& a) {
    if (a.size() < 4) return sw(0x6700);
    std::uint8_t cla = a[0], ins = a[1];
    if (cla != 0x00 && cla != 0x80) return sw(0x6E00);
    switch (ins) {
        case 0xA4: return select(a);
        case 0xB0: return read_binary(a);
        case 0x20: return verify(a);
        case 0x2A: return cla == 0x80 ? sign(a) : sw(0x6E00);
        case 0x84: {
            std::size_t n = a.size() == 5 ? (a[4] ? a[4] : 256) : 8;
            challenge_ = reader::random_bytes(n);
            Bytes r = challenge_;
            r.push_back(0x90);
            r.push_back(0x00);
            return r;
        }
        default: return sw(0x6D00);
    }
}

Bytes Card::select(const Bytes& a) {
    std::uint8_t p1 = a[2];
    if (a.size() < 5) return sw(0x6700);
    std::size_t lc = a[4];
    if (a.size() < 5 + lc) return sw(0x6700);
    Bytes data(a.begin() + 5, a.begin() + 5 + static_cast<std::ptrdiff_t>(lc));
    if (p1 == 0x04) {
        const reader::Aid* aids[] = {&reader::kJpkiAid, &reader::kTextAid, &reader::kFaceAid};
        for (int i = 0; i < 3; ++i)
            if (data.size() == 10 && std::equal(data.begin(), data.end(), aids[i]->begin())) {
                ap_ = i;
                ef_ = 0;
                return sw(0x9000);
            }
        return sw(0x6A82);
    }
    if (p1 == 0x02) {
        if (ap_ < 0 || lc != 2) return sw(0x6A82);
        std::uint16_t fid = static_cast<std::uint16_t>(data[0] << 8 | data[1]);
        Ap& ap = aps_[ap_];
        if (!ap.files.count(fid) && !ap.keys.count(fid) && fid != ap.sign_key_ef) return sw(0x6A82);
        ef_ = fid;
        return sw(0x9000);
    }
    if (p1 == 0x00) return sw(ap_ < 0 ? 0x6A86 : 0x9000);
    return sw(0x6A86);
}

Bytes Card::read_binary(const Bytes& a) {
    if (ap_ < 0) return sw(0x6986);
    std::size_t off;
    std::uint16_t fid = ef_;
    if (a[2] & 0x80) {
        fid = a[2] & 0x1F;
        off = a[3];
    } else {
        off = static_cast<std::size_t>(a[2] << 8 | a[3]);
    }
    Ap& ap = aps_[ap_];
    auto it = ap.files.find(fid);
    if (it == ap.files.end()) return sw(ap.keys.count(fid) ? 0x6981 : 0x6A82);
    if (a[2] & 0x80) ef_ = fid;
    bool open = it->second.opened_by.empty();
    for (auto k : it->second.opened_by)
        open = open || std::count(verified_.begin(), verified_.end(), std::pair{ap_, k});
    if (!open) return sw(0x6982);
    const Bytes& d = it->second.data;
    if (off >= d.size()) return sw(0x6B00);
    std::size_t le = a.size() == 5 ? (a[4] ? a[4] : 256) : 256;
    std::size_t n = std::min(le, d.size() - off);
    Bytes r(d.begin() + static_cast<std::ptrdiff_t>(off), d.begin() + static_cast<std::ptrdiff_t>(off + n));
    r.push_back(0x90);
    r.push_back(0x00);
    return r;
}

Bytes Card::verify(const Bytes& a) {
    if (ap_ < 0) return sw(0x6986);
    std::uint16_t fid = a[3] == 0x80 ? ef_ : static_cast<std::uint16_t>(a[3] & 0x1F);
    if (a[2] != 0x00 || (a[3] & 0x80) == 0) return sw(0x6A86);
    Ap& ap = aps_[ap_];
    auto it = ap.keys.find(fid);
    if (it == ap.keys.end()) return sw(0x6A88);
    Key& k = it->second;
    bool is_verified = std::count(verified_.begin(), verified_.end(), std::pair{ap_, fid}) > 0;
    if (a.size() <= 5) {  // counter query: no try used
        if (k.tries == 0) return sw(0x63C0);
        return sw(is_verified ? 0x9000 : static_cast<std::uint16_t>(0x63C0 | k.tries));
    }
    std::size_t lc = a[4];
    if (lc == 0 || lc > 16 || a.size() < 5 + lc) return sw(0x6700);
    if (k.tries == 0) return sw(0x6984);
    std::string given(a.begin() + 5, a.begin() + 5 + static_cast<std::ptrdiff_t>(lc));
    if (given == k.value) {
        k.tries = k.max;
        if (!is_verified) verified_.emplace_back(ap_, fid);
        return sw(0x9000);
    }
    --k.tries;
    return sw(static_cast<std::uint16_t>(0x63C0 | k.tries));
}

Bytes Card::sign(const Bytes& a) {
    if (ap_ < 0 || a.size() < 6) return sw(0x6700);
    std::size_t lc = a[4];
    if (a.size() < 5 + lc || lc == 0) return sw(0x6700);
    Bytes data(a.begin() + 5, a.begin() + 5 + static_cast<std::ptrdiff_t>(lc));
    if (a[2] != 0x00) return sw(0x6A86);
    EVP_PKEY* key = nullptr;
    Ap& ap = aps_[ap_];
    if (ap_ == 0) {  // JPKI: SELECT 0017 + VERIFY 0018 first, P2=80
        if (a[3] != 0x80 || ef_ != ap.sign_key_ef) return sw(0x6985);
        if (!std::count(verified_.begin(), verified_.end(), std::pair{ap_, ap.sign_pin_ef})) return sw(0x6982);
        key = keys_.auth.get();
    } else {  // text/face AP: the card's own key, no PIN (clone detection)
        if (a[3] != 0x00) return sw(0x6A86);
        key = clone_key_ ? clone_key_.get() : keys_.card.get();
    }
    Bytes r = reader::rsa_sign_raw(key, data);
    if (r.empty()) return sw(0x6A80);
    r.push_back(0x90);
    r.push_back(0x00);
    return r;
}

}  // namespace onshi::emulator
