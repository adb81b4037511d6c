// Text: an OQS leaf as an optional string in 16 bytes (core/oqs/text.hpp).
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "core/oqs/text.hpp"

using onshi::oqs::Text;

TEST_CASE("Text: absent differs from empty, as std::optional<std::string> did") {
    Text absent;
    Text empty = "";
    CHECK_FALSE(absent.has_value());
    CHECK(empty.has_value());
    CHECK(empty->empty());
    CHECK(absent != empty);
    CHECK(absent == std::nullopt);
    CHECK(empty != std::nullopt);
    CHECK(absent.value_or("なし") == "なし");
    CHECK(empty.value_or("なし").empty());
    CHECK_THROWS_AS(absent.value(), std::bad_optional_access);
    CHECK(empty.value().empty());
    CHECK(sizeof(Text) == 16);
}

TEST_CASE("Text: values of every length round-trip, inside the text and on the heap") {
    // 15 bytes fit inside; 16 and more go to one heap block. Japanese text is 3 bytes a character.
    for (const std::string& v : {std::string("1"), std::string(15, '9'), std::string(16, '9'),
                                 std::string("全国土木建築国民健康保険組合"), std::string(100000, 'x')}) {
        Text t = v;
        CHECK(*t == v);
        CHECK(t->size() == v.size());
        Text copy = t;
        CHECK(copy == t);
        CHECK(copy.view().data() != t.view().data());  // a copy owns its bytes
        Text moved = std::move(copy);
        CHECK(moved == v);
        CHECK_FALSE(copy.has_value());  // NOLINT(bugprone-use-after-move): a moved-from text is absent
        std::string s = *moved;         // the value becomes a std::string where one is wanted
        CHECK(s == v);
    }
}

TEST_CASE("Text: assignment from itself, its own value and values of the same length") {
    Text t = std::string(40, 'a');
    const Text& self = t;
    t = self;
    CHECK(t == std::string(40, 'a'));
    t = t->substr(10);  // from its own bytes
    CHECK(t == std::string(30, 'a'));
    t = std::string(30, 'b');  // same length: the block is reused
    CHECK(t == std::string(30, 'b'));
    t = "短い";
    CHECK(t == "短い");
    t = std::nullopt;
    CHECK_FALSE(t);
    t.emplace("01");
    CHECK(t == "01");
    t.emplace();
    CHECK(t == "");
    t.reset();
    CHECK_FALSE(t.has_value());
    Text other = std::string(20, 'z');
    t = std::move(other);
    CHECK(t == std::string(20, 'z'));
}

TEST_CASE("Text: ordering and comparison follow std::optional") {
    CHECK(Text() < Text(""));
    CHECK(Text("") < Text("0"));
    CHECK(Text("01") < Text("02"));
    CHECK(Text("1") == std::string("1"));
    CHECK(Text("1") == std::string_view("1"));
    CHECK_FALSE(Text() == "");
    std::map<Text, int> by_text{{Text("b"), 2}, {Text(), 0}, {Text("a"), 1}};
    CHECK(by_text.begin()->second == 0);
    CHECK(by_text.rbegin()->second == 2);
}

TEST_CASE("Text: its value joins strings and prints") {
    Text code = "E001";
    CHECK("【ErrorCode:" + *code + "】" == "【ErrorCode:E001】");
    CHECK(*code + std::string("!") == "E001!");
    CHECK(std::string("code ") + *code == "code E001");
    std::ostringstream os;
    os << code << " " << Text();
    CHECK(os.str() == "E001 (absent)");
}
