#include "core/rules/numbers.hpp"

#include <unicode/uchar.h>

#include <array>

#include "core/rules/unicode.hpp"

namespace onshi::rules {

namespace {

bool all_digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

// NFKC (full-width digits), whitespace dropped (OQS pads 国保 numbers with spaces). nullopt when
// anything but digits is left.
std::optional<std::string> digits_of(std::string_view text) {
    const icu::UnicodeString u = detail::nfkc(detail::from_utf8(text));
    std::string out;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
        const UChar32 c = u.char32At(i);
        if (u_isUWhiteSpace(c)) continue;
        if (c < '0' || c > '9') return std::nullopt;
        out.push_back(static_cast<char>(c));
    }
    return out;
}

struct Houbetsu {
    std::string_view code, kind, label;
};
// Medical insurance 法別番号 (8-digit 保険者番号).
constexpr std::array kInsurerHoubetsu{
    Houbetsu{"01", "協会けんぽ", "全国健康保険協会管掌健康保険"},
    Houbetsu{"02", "船員保険", "船員保険"},
    Houbetsu{"03", "日雇特例", "日雇特例被保険者（一般療養）"},
    Houbetsu{"04", "日雇特例", "日雇特例被保険者（特別療養費）"},
    Houbetsu{"06", "組合", "組合管掌健康保険"},
    Houbetsu{"07", "自衛官等", "自衛官等"},
    Houbetsu{"31", "共済", "国家公務員共済組合"},
    Houbetsu{"32", "共済", "地方公務員等共済組合"},
    Houbetsu{"33", "共済", "警察共済組合"},
    Houbetsu{"34", "共済", "公立学校共済組合・日本私立学校振興・共済事業団"},
    Houbetsu{"39", "後期高齢者", "後期高齢者医療"},
    Houbetsu{"63", "特例退職", "特定健康保険組合（特例退職被保険者）"},
    Houbetsu{"67", "退職者医療", "国民健康保険 退職者医療"},
    Houbetsu{"72", "特例退職", "国家公務員共済組合（特例退職）"},
    Houbetsu{"73", "特例退職", "地方公務員等共済組合（特例退職）"},
    Houbetsu{"74", "特例退職", "警察共済組合（特例退職）"},
    Houbetsu{"75", "特例退職", "公立学校共済組合・日本私立学校振興・共済事業団（特例退職）"},
};
// National 公費 法別番号; 80–99 are 地方単独事業.
constexpr std::array kKouhiHoubetsu{
    Houbetsu{"10", "公費", "結核（37条の2）"},
    Houbetsu{"11", "公費", "結核入院"},
    Houbetsu{"12", "公費", "生活保護"},
    Houbetsu{"13", "公費", "戦傷病者（療養給付）"},
    Houbetsu{"14", "公費", "戦傷病者（更生医療）"},
    Houbetsu{"15", "公費", "更生医療"},
    Houbetsu{"16", "公費", "育成医療"},
    Houbetsu{"17", "公費", "療育"},
    Houbetsu{"18", "公費", "原爆（認定疾病）"},
    Houbetsu{"19", "公費", "原爆（一般疾病）"},
    Houbetsu{"20", "公費", "措置入院"},
    Houbetsu{"21", "公費", "精神通院"},
    Houbetsu{"22", "公費", "麻薬"},
    Houbetsu{"23", "公費", "養育医療"},
    Houbetsu{"24", "公費", "療養介護"},
    Houbetsu{"25", "公費", "中国残留邦人"},
    Houbetsu{"28", "公費", "一類・二類感染症"},
    Houbetsu{"29", "公費", "新感染症"},
    Houbetsu{"30", "公費", "心神喪失者医療観察"},
    Houbetsu{"38", "公費", "肝炎"},
    Houbetsu{"51", "公費", "特定疾患・凝固因子"},
    Houbetsu{"52", "公費", "小児慢性特定疾病"},
    Houbetsu{"53", "公費", "児童福祉施設措置"},
    Houbetsu{"54", "公費", "難病"},
    Houbetsu{"62", "公費", "法別62"},
    Houbetsu{"66", "公費", "石綿"},
    Houbetsu{"79", "公費", "障害児施設"},
};

template <size_t N>
const Houbetsu* find(const std::array<Houbetsu, N>& table, std::string_view code) {
    for (const auto& h : table)
        if (h.code == code) return &h;
    return nullptr;
}

bool is_local_kouhi(std::string_view hb) { return hb >= "80" && hb <= "99"; }

Note error_note(std::string ja, std::string en) { return Note{std::move(ja), std::move(en)}; }

// Fills normalized / check digit from digits already at the expected length.
void check_luhn(NumberCheck& r, const std::string& d) {
    r.normalized = d;
    r.valid = true;
    r.expected_check_digit = luhn_check_digit(std::string_view(d).substr(0, d.size() - 1));
    r.check_digit_ok = r.expected_check_digit && *r.expected_check_digit == d.back();
    if (!r.check_digit_ok) {
        const char e = r.expected_check_digit.value_or('?');
        r.warnings.push_back(
            {std::string("検証番号が正しくありません（計算上の検証番号は ") + e + "）。券面の番号をご確認ください。",
             std::string("check digit is ") + d.back() + ", expected " + e});
    }
}

void check_prefecture(NumberCheck& r, std::string_view pref) {
    if (pref >= "01" && pref <= "47") return;
    r.warnings.push_back({"都道府県番号 " + std::string(pref) + " は 01〜47 の範囲外です。",
                          "prefecture code " + std::string(pref) + " is outside 01-47"});
}

// Shared start: digits only, a lost leading zero restored for `short_len`.
std::optional<std::string> start(NumberCheck& r, std::string_view text, size_t short_len, std::string_view what_ja,
                                 std::string_view what_en) {
    r.input = std::string(text);
    auto d = digits_of(text);
    if (!d || d->empty()) {
        r.error = error_note(std::string(what_ja) + "は数字で入力してください。",
                             std::string(what_en) + " must be digits only");
        return std::nullopt;
    }
    if (short_len && d->size() == short_len) {
        r.warnings.push_back({"先頭の 0 を補いました。", "leading zero restored"});
        *d = "0" + *d;
    }
    return d;
}

void wrong_length(NumberCheck& r, std::string_view what_ja, std::string_view what_en, std::string_view lengths_ja,
                  std::string_view lengths_en, size_t got) {
    r.error = error_note(
        std::string(what_ja) + "の桁数が正しくありません（" + std::string(lengths_ja) + "）。",
        std::string(what_en) + " must have " + std::string(lengths_en) + " digits, got " + std::to_string(got));
}

}  // namespace

std::optional<char> luhn_check_digit(std::string_view body) {
    if (!all_digits(body)) return std::nullopt;
    int sum = 0;
    int weight = 2;  // from the rightmost body digit: 2, 1, 2, 1, …
    for (size_t i = body.size(); i-- > 0;) {
        const int p = (body[i] - '0') * weight;
        sum += p / 10 + p % 10;
        weight = 3 - weight;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::optional<char> mynumber_check_digit(std::string_view body) {
    if (body.size() != 11 || !all_digits(body)) return std::nullopt;
    static constexpr int kWeights[11] = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (size_t i = 0; i < 11; ++i) sum += (body[i] - '0') * kWeights[i];
    const int rem = sum % 11;
    return static_cast<char>('0' + (rem <= 1 ? 0 : 11 - rem));
}

NumberCheck check_insurer(std::string_view text) {
    NumberCheck r;
    auto d = start(r, text, 0, "保険者番号", "insurer number");
    if (!d) return r;
    if (d->size() == 5 || d->size() == 7) {  // an integer that lost its leading zero
        r.warnings.push_back({"先頭の 0 を補いました。", "leading zero restored"});
        *d = "0" + *d;
    }
    if (d->size() != 6 && d->size() != 8) {
        wrong_length(r, "保険者番号", "insurer number", "国保は6桁、その他は8桁", "6 (国保) or 8", d->size());
        return r;
    }
    check_luhn(r, *d);
    if (d->size() == 6) {
        check_prefecture(r, d->substr(0, 2));
        r.kind = (*d)[2] == '3' ? "国保組合" : "国保";
        return r;
    }
    r.houbetsu = d->substr(0, 2);
    check_prefecture(r, d->substr(2, 2));
    if (const Houbetsu* h = find(kInsurerHoubetsu, r.houbetsu)) {
        r.kind = h->kind;
    } else {
        r.kind = "不明";
        const bool kouhi = find(kKouhiHoubetsu, r.houbetsu) || is_local_kouhi(r.houbetsu);
        r.warnings.push_back(
            {"法別番号 " + r.houbetsu +
                 (kouhi ? " は公費の番号です。公費負担者番号ではありませんか。"
                        : " は医療保険の法別番号にありません。"),
             "法別番号 " + r.houbetsu +
                 (kouhi ? " belongs to a 公費 scheme (a 公費負担者番号?)" : " is not a known insurance 法別番号")});
    }
    return r;
}

NumberCheck check_kouhi_payer(std::string_view text) {
    NumberCheck r;
    auto d = start(r, text, 7, "公費負担者番号", "公費負担者番号");
    if (!d) return r;
    if (d->size() != 8) {
        wrong_length(r, "公費負担者番号", "公費負担者番号", "8桁", "8", d->size());
        return r;
    }
    check_luhn(r, *d);
    r.houbetsu = d->substr(0, 2);
    check_prefecture(r, d->substr(2, 2));
    if (const Houbetsu* h = find(kKouhiHoubetsu, r.houbetsu)) {
        r.kind = "公費(" + r.houbetsu + " " + std::string(h->label) + ")";
    } else if (is_local_kouhi(r.houbetsu)) {
        r.kind = "公費(" + r.houbetsu + " 地方単独)";
    } else {
        r.kind = "公費(" + r.houbetsu + ")";
        r.warnings.push_back({"法別番号 " + r.houbetsu + " は公費の法別番号にありません。",
                              "法別番号 " + r.houbetsu + " is not a known 公費 法別番号"});
    }
    return r;
}

NumberCheck check_kouhi_recipient(std::string_view text) {
    NumberCheck r;
    auto d = start(r, text, 6, "公費受給者番号", "公費受給者番号");
    if (!d) return r;
    if (d->size() != 7) {
        wrong_length(r, "公費受給者番号", "公費受給者番号", "7桁", "7", d->size());
        return r;
    }
    check_luhn(r, *d);
    r.kind = "公費受給者";
    return r;
}

NumberCheck check_mynumber(std::string_view text) {
    NumberCheck r;
    auto d = start(r, text, 0, "個人番号", "個人番号");
    if (!d) return r;
    if (d->size() != 12) {
        wrong_length(r, "個人番号", "個人番号", "12桁", "12", d->size());
        return r;
    }
    r.normalized = *d;
    r.valid = true;
    r.kind = "個人番号";
    r.expected_check_digit = mynumber_check_digit(std::string_view(*d).substr(0, 11));
    r.check_digit_ok = r.expected_check_digit == d->back();
    if (!r.check_digit_ok)  // the digits themselves stay out of the message: it may reach a log
        r.warnings.push_back(
            {"個人番号が正しくありません。入力をご確認ください。", "個人番号 check digit does not match"});
    return r;
}

NumberCheck check_number(NumberType type, std::string_view text) {
    switch (type) {
        case NumberType::Insurer: return check_insurer(text);
        case NumberType::KouhiPayer: return check_kouhi_payer(text);
        case NumberType::KouhiRecipient: return check_kouhi_recipient(text);
        case NumberType::MyNumber: return check_mynumber(text);
    }
    return {};
}

std::string insurer_key(std::string_view text) {
    auto d = digits_of(text);
    if (!d) return {};
    if (d->size() == 5 || d->size() == 7) *d = "0" + *d;
    if (d->size() != 6 && d->size() != 8) return {};
    return *d;
}

std::string insurer_for_oqs(std::string_view text) {
    std::string k = insurer_key(text);
    if (k.size() == 6) return "  " + k;
    return k;
}

std::string houbetsu_label(std::string_view code) {
    if (const Houbetsu* h = find(kInsurerHoubetsu, code)) return std::string(h->label);
    if (const Houbetsu* h = find(kKouhiHoubetsu, code)) return std::string(h->label);
    if (code.size() == 2 && is_local_kouhi(code)) return "地方単独事業";
    return {};
}

}  // namespace onshi::rules
