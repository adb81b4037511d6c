#include <catch2/catch.hpp>

#include "core/rules/compare.hpp"

using namespace onshi::rules;

namespace {
Tier kana(const char* a, const char* b) { return compare_kana_names(a, b).tier; }
Tier kanji(const char* a, const char* b) { return compare_kanji_names(a, b).tier; }
Tier card(const CardNumber& a, const CardNumber& b) { return compare_card_numbers(a, b).tier; }
}  // namespace

TEST_CASE("normalizers: ICU NFKC, width, hiragana→katakana", "[rules][compare]") {
    CHECK(nfkc("ｶﾞﾊﾟｳﾞｰｯ") == "ガパヴーッ");
    CHECK(nfkc("１２３ＡＢ") == "123AB");
    CHECK(nfkc("㍻") == "平成");
    CHECK(kana_normal("ｽｽﾞｷ ｴﾐｺ") == "スズキエミコ");
    CHECK(kana_normal("すずき　えみこ") == "スズキエミコ");
    CHECK(kana_normal("カ゛ン") == "ガン");  // spacing dakuten is not left as a space + U+3099
    CHECK(kana_normal("ｼｪﾌ") == "シェフ");
    CHECK(kana_normal("ゆうじ・ー‐－") == "ユウジーーー");
    CHECK(kana_key("ショウイチ") == "シヨウイチ");
    CHECK(kana_key("ぢゅんいち") == "ジユンイチ");
    CHECK(kana_key("ヴァイオリン") == "ブアイオリン");
    // ｯﾞ is ッ + a combining dakuten: it becomes ヅ only once ッ is ツ, and then folds to ズ (a stable key).
    CHECK(kana_key("ｯﾞｧ") == "ズア");
    CHECK(kana_key(kana_key("ｯﾞｧ")) == kana_key("ｯﾞｧ"));
    CHECK(kana_key("ｷｮｳｺ") == kana_key("きようこ"));
    CHECK(kanji_key("髙橋　一郎") == "高橋一郎");
    CHECK(kanji_key("山﨑") == "山崎");
    CHECK(kanji_key("渡邊") == kanji_key("渡邉"));
    CHECK(kanji_key("齊藤") == kanji_key("齋藤"));
    CHECK(kanji_key("國德") == "国徳");
    CHECK(kanji_key("葛\xEF\xB8\x80城") == "葛城");  // variation selector dropped
    CHECK(card_part_key("ａｂ－１２ ・(3)") == "AB123");
    CHECK(is_kana_name("ｽｽﾞｷ ｴﾐｺ"));
    CHECK(is_kana_name("すずき　えみこ"));
    CHECK_FALSE(is_kana_name("鈴木　恵美子"));
    CHECK_FALSE(is_kana_name(""));
    CHECK_FALSE(is_kana_name("   "));
}

TEST_CASE("keys are stable: the key of a key is the key", "[rules][compare]") {
    for (const char* s : {"ｽｽﾞｷ ｴﾐｺ", "カ ゙ン", "ｶ ﾞ", "しょういち", "髙橋　一郎", "ａｂ－１２", "\xff", "゛"}) {
        INFO(s);
        CHECK(kana_key(kana_key(s)) == kana_key(s));
        CHECK(kana_normal(kana_normal(s)) == kana_normal(s));
        CHECK(kanji_key(kanji_key(s)) == kanji_key(s));
        CHECK(card_part_key(card_part_key(s)) == card_part_key(s));
    }
    CHECK(kana_key("カ ゙ン") == "ガン");
}

TEST_CASE("kana names: OQS half-width against what the clinic typed", "[rules][compare]") {
    CHECK(kana("スズキ エミコ", "スズキ エミコ") == Tier::Exact);
    CHECK(kana("ｽｽﾞｷ ｴﾐｺ", "スズキ　エミコ") == Tier::Normalized);
    CHECK(kana("ｽｽﾞｷ ｴﾐｺ", "すずきえみこ") == Tier::Normalized);
    CHECK(kana("ｼｪﾌ", "シェフ") == Tier::Normalized);
    CHECK(kana("ｼﾖｳｲﾁ", "しょういち") == Tier::Probable);  // small kana shown large (hodanren, Akita)
    CHECK(kana("ヂロウ", "ジロウ") == Tier::Probable);
    CHECK(kana("ｽｽﾞｷ ｴﾐｺ", "スズキ エミ") == Tier::Different);
    CHECK(kana("", "スズキ") == Tier::Different);
    const Comparison c = compare_kana_names("ｼﾖｳｲﾁ", "ショウイチ");
    CHECK_FALSE(c.reason.ja.empty());
    CHECK_FALSE(c.reason.en.empty());
}

TEST_CASE("kanji names: 異体字, ● wildcard, full-width space", "[rules][compare]") {
    CHECK(kanji("鈴木　恵美子", "鈴木　恵美子") == Tier::Exact);
    CHECK(kanji("鈴木　恵美子", "鈴木 恵美子") == Tier::Normalized);
    CHECK(kanji("鈴木　恵美子", "鈴木恵美子") == Tier::Normalized);
    for (auto [a, b] : {std::pair{"髙橋　一郎", "高橋　一郎"},
                        {"山﨑　花子", "山崎　花子"},
                        {"渡邊　明", "渡辺　明"},
                        {"渡邉　明", "渡辺　明"},
                        {"齊藤　茂", "斉藤　茂"},
                        {"齋藤　茂", "斉藤　茂"},
                        {"國分　太一", "国分　太一"},
                        {"德川　家康", "徳川　家康"}}) {
        INFO(a << " / " << b);
        CHECK(kanji(a, b) == Tier::Probable);
        CHECK(kanji(b, a) == Tier::Probable);
    }
    CHECK(kanji("山●　花子", "山﨑　花子") == Tier::Probable);  // ● from OQS
    CHECK(kanji("髙●　花子", "高﨑　花子") == Tier::Probable);
    CHECK(kanji("山●●　花子", "山﨑　花子") == Tier::Different);  // one character each
    CHECK(kanji("山田　太郎", "山本　太郎") == Tier::Different);
    CHECK(kanji("", "山田") == Tier::Different);
    CHECK(compare_kanji_names("山●　花子", "山﨑　花子").reason.en.find("●") != std::string::npos);
}

TEST_CASE("compare_names picks kana or kanji rules", "[rules][compare]") {
    CHECK(compare_names("ｽｽﾞｷ ｴﾐｺ", "すずき　えみこ").tier == Tier::Normalized);
    CHECK(compare_names("髙橋", "高橋").tier == Tier::Probable);
    CHECK(compare_names("スズキ", "鈴木").tier == Tier::Different);
}

TEST_CASE("記号・番号・枝番", "[rules][compare]") {
    CHECK(card({"12", "345", "01"}, {"12", "345", "01"}) == Tier::Exact);
    CHECK(card({"１２", "３４５", "01"}, {"12", "345", "01"}) == Tier::Normalized);
    CHECK(card({"ab-1", "345", ""}, {"ＡＢ－１", "345", ""}) == Tier::Normalized);
    CHECK(card({"12‐34", "5", ""}, {"12−34", "5", ""}) == Tier::Normalized);  // U+2010, U+2212 survive NFKC
    CHECK(card({"12", "00345", ""}, {"12", "345", ""}) == Tier::Normalized);  // leading zeros of 番号
    CHECK(card({"12", "345", "1"}, {"12", "345", "01"}) == Tier::Normalized);
    const Comparison one = compare_card_numbers({"12", "345", "01"}, {"12", "345", ""});
    CHECK(one.tier == Tier::Normalized);  // 枝番 compared only when both have one
    CHECK_THAT(one.reason.en, Catch::Contains("枝番 not compared"));
    CHECK(card({"12", "345", "01"}, {"12", "345", "02"}) == Tier::Different);
    CHECK(card({"12", "345", ""}, {"", "12345", ""}) == Tier::Probable);
    CHECK(card({"", "345", ""}, {"12", "345", ""}) == Tier::Probable);
    CHECK(card({"宮市かきく", "１８７", ""}, {"宮市かきく", "187", ""}) == Tier::Normalized);
    CHECK(card({"13", "345", ""}, {"12", "345", ""}) == Tier::Different);
    CHECK(card({"12", "346", ""}, {"12", "345", ""}) == Tier::Different);
    CHECK(card({"12", "", ""}, {"12", "", ""}) == Tier::Exact);
}

TEST_CASE("CardNumber::parse reads the JP-CLINS order", "[rules][compare]") {
    const CardNumber a = CardNumber::parse("あいう:１８７:05");
    CHECK(a.kigou == "あいう");
    CHECK(a.bangou == "１８７");
    CHECK(a.edaban == "05");
    const CardNumber b = CardNumber::parse("00012345::１８７:");  // JP-CLINS, no 記号 and no 枝番
    CHECK(b.kigou.empty());
    CHECK(b.bangou == "１８７");
    CHECK(b.edaban.empty());
    const CardNumber f = CardNumber::parse("12：345：01");
    CHECK(f.kigou == "12");
    CHECK(f.edaban == "01");
    const CardNumber c = CardNumber::parse("12・345");
    CHECK(c.kigou.empty());
    CHECK(c.bangou == "12・345");
    CHECK(compare_card_numbers(CardNumber::parse("12:345"), CardNumber::parse("12・345")).tier == Tier::Probable);
}

TEST_CASE("comparisons are reflexive and symmetric", "[rules][compare]") {
    const char* samples[] = {
        "ｽｽﾞｷ ｴﾐｺ",   "すずき　えみこ", "ｼﾖｳｲﾁ",   "ショウイチ", "髙橋　一郎", "高橋 一郎", "山●　花子",
        "山﨑　花子", "12:345:01",      "12:0345", "12345",      "",           "\xff\xfe",  "カ゛"};
    for (const char* a : samples) {
        CHECK(compare_names(a, a).tier == Tier::Exact);
        for (const char* b : samples) {
            INFO(a << " / " << b);
            CHECK(compare_names(a, b).tier == compare_names(b, a).tier);
            CHECK(compare_card_numbers(CardNumber::parse(a), CardNumber::parse(b)).tier ==
                  compare_card_numbers(CardNumber::parse(b), CardNumber::parse(a)).tier);
        }
    }
}
