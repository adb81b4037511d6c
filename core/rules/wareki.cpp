#include "core/rules/wareki.hpp"

#include <unicode/uchar.h>

#include <array>
#include <cstdio>

#include "core/rules/unicode.hpp"

namespace onshi::rules {

namespace {

// First days: 明治 from its retroactive 1868-01-25; 大正 and 昭和 from the 即日改元 day itself.
constexpr std::array<EraInfo, 5> kEras{{
    {Era::Meiji, "明治", 'M', 1, {1868, 1, 25}, 1867},
    {Era::Taisho, "大正", 'T', 2, {1912, 7, 30}, 1911},
    {Era::Showa, "昭和", 'S', 3, {1926, 12, 25}, 1925},
    {Era::Heisei, "平成", 'H', 4, {1989, 1, 8}, 1988},
    {Era::Reiwa, "令和", 'R', 5, {2019, 5, 1}, 2018},
}};

// One-kanji abbreviations (明 大 昭 平 令), as printed on forms.
constexpr std::array<std::string_view, 5> kShort{"明", "大", "昭", "平", "令"};

std::string year_text(int y) { return y == 1 ? std::string("元") : std::to_string(y); }

std::string wareki_text(const Wareki& w) {
    return std::string(era_info(w.era).name) + year_text(w.year) + "年" + std::to_string(w.month) + "月" +
           std::to_string(w.day) + "日";
}

// A cursor over NFKC'd, space-free UTF-8 text.
struct Cursor {
    std::string_view s;
    size_t pos = 0;
    bool done() const { return pos >= s.size(); }
    bool eat(std::string_view t) {
        if (s.substr(pos).starts_with(t)) {
            pos += t.size();
            return true;
        }
        return false;
    }
    // 1..max_len ASCII digits; -1 when none. More digits than max_len also fail (no overflow).
    int number(size_t max_len) {
        size_t n = 0;
        int v = 0;
        while (pos + n < s.size() && s[pos + n] >= '0' && s[pos + n] <= '9') {
            if (++n > max_len) return -1;
            v = v * 10 + (s[pos + n - 1] - '0');
        }
        if (n == 0) return -1;
        pos += n;
        return v;
    }
};

std::string clean(std::string_view text) {
    const icu::UnicodeString u = detail::nfkc(detail::from_utf8(text));
    icu::UnicodeString out;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
        const UChar32 c = u.char32At(i);
        if (!u_isUWhiteSpace(c)) out.append(c);
    }
    return detail::to_utf8(out);
}

DateParse fail(std::string ja, std::string en) {
    DateParse r;
    r.error = Note{std::move(ja), std::move(en)};
    return r;
}

DateParse malformed(std::string_view text) {
    return fail("日付として読み取れません: " + std::string(text),
                "not a date: expected e.g. 令和3年8月1日, R03.08.01, 5030801 or 2021-08-01");
}

// Month and day after the year, with either 年/月/日 or one ASCII separator (. / -) throughout.
bool month_day(Cursor& c, bool kanji, char sep, int& m, int& d) {
    m = c.number(2);
    if (m < 0) return false;
    if (kanji ? !c.eat("月") : !c.eat(std::string_view(&sep, 1))) return false;
    d = c.number(2);
    if (d < 0) return false;
    if (kanji) c.eat("日");
    return c.done();
}

// The year separator decides the style of the rest.
bool year_sep(Cursor& c, bool& kanji, char& sep) {
    if (c.eat("年")) {
        kanji = true;
        return true;
    }
    for (char s : {'.', '/', '-'}) {
        if (c.eat(std::string_view(&s, 1))) {
            kanji = false;
            sep = s;
            return true;
        }
    }
    return false;
}

DateParse gregorian(std::string_view text, int y, int m, int d) {
    const Date date{y, m, d};
    if (!date.valid()) return fail("存在しない日付です: " + std::string(text), "no such day: " + std::string(text));
    DateParse r;
    r.date = date;
    return r;
}

DateParse from_era(std::string_view text, const EraInfo& e, int n, int m, int d) {
    if (n == 0)
        return fail("0年という年はありません（1年目は元年です）。", "era year 0 does not exist (the first is 元年)");
    const Date date{e.offset + n, m, d};
    const std::string written =
        std::string(e.name) + year_text(n) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
    if (!date.valid()) return fail("存在しない日付です: " + written, "no such day: " + std::string(text));
    DateParse r;
    r.date = date;
    const auto w = to_wareki(date);
    if (!w) {
        r.warnings.push_back({written + "は明治の始まり（1868年1月25日）より前です。",
                              "date is before the start of 明治 (1868-01-25): " + date.iso()});
    } else if (w->era != e.era) {
        // Documents printed before an 改元 carry such dates: convert, but name the right era.
        r.warnings.push_back({written + "は" + wareki_text(*w) + "です。",
                              std::string(text) + " is " + wareki_text(*w) + " (" + date.iso() + ")"});
    }
    return r;
}

}  // namespace

std::span<const EraInfo> eras() { return kEras; }

const EraInfo& era_info(Era era) { return kEras[static_cast<size_t>(era)]; }

std::optional<Wareki> to_wareki(const Date& date) {
    if (!date.valid()) return std::nullopt;
    for (size_t i = kEras.size(); i-- > 0;) {
        const EraInfo& e = kEras[i];
        if (date >= e.first_day) return Wareki{e.era, date.year - e.offset, date.month, date.day};
    }
    return std::nullopt;
}

std::string format_wareki(const Date& date) {
    const auto w = to_wareki(date);
    return w ? wareki_text(*w) : std::string();
}

std::string wareki_yymmdd(const Date& date) {
    const auto w = to_wareki(date);
    if (!w || w->year > 99) return {};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d%02d%02d", w->year, w->month, w->day);
    return buf;
}

DateParse parse_date_text(std::string_view text) {
    const std::string s = clean(text);
    if (s.empty()) return fail("日付が入力されていません。", "empty date");
    Cursor c{s};

    // Era by name (NFKC has already expanded ㋿ ㍻ ㍼ ㍽ ㍾), by one kanji, or by JIS X 0301 letter.
    const EraInfo* era = nullptr;
    for (size_t i = 0; i < kEras.size() && !era; ++i)
        if (c.eat(kEras[i].name) || c.eat(kShort[i])) era = &kEras[i];
    if (!era && !c.done()) {
        const char l = s[0] >= 'a' && s[0] <= 'z' ? static_cast<char>(s[0] - 'a' + 'A') : s[0];
        for (const auto& e : kEras)
            if (e.letter == l) {
                era = &e;
                c.pos = 1;
            }
    }
    int m = 0, d = 0;
    bool kanji = false;
    char sep = 0;
    if (era) {
        int n = c.eat("元") ? 1 : c.number(4);
        if (n < 0 || !year_sep(c, kanji, sep) || !month_day(c, kanji, sep, m, d)) return malformed(text);
        return from_era(text, *era, n, m, d);
    }

    // All digits: GYYMMDD (era code 1–5) or YYYYMMDD.
    if (s.find_first_not_of("0123456789") == std::string::npos) {
        auto two = [&](size_t p) { return (s[p] - '0') * 10 + (s[p + 1] - '0'); };
        if (s.size() == 7 && s[0] >= '1' && s[0] <= '5')
            return from_era(text, kEras[static_cast<size_t>(s[0] - '1')], two(1), two(3), two(5));
        if (s.size() == 8) return gregorian(text, two(0) * 100 + two(2), two(4), two(6));
        return malformed(text);
    }

    // 西暦: 2021-08-01, 2021/8/1, 2021.8.1, 2021年8月1日.
    const int y = c.number(4);
    if (y < 1000 || !year_sep(c, kanji, sep) || !month_day(c, kanji, sep, m, d)) return malformed(text);
    return gregorian(text, y, m, d);
}

}  // namespace onshi::rules
