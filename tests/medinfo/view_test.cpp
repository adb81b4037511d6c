// The viewer's model: highlights (docs/medinfo.md lists the names and codes), months newest first, checkup
// values by year with the chart's range.
#include <catch2/catch.hpp>

#include "core/medinfo/view.hpp"
#include "core/oqs/medinfo_sim.hpp"

using namespace onshi::medinfo;
using namespace onshi::oqs::medinfo;

namespace {
DrugLine drug(const std::string& name, const std::string& ingredient, const std::string& code = "") {
    DrugLine d;
    d.name = name;
    d.ingredient = ingredient;
    d.code = code;
    return d;
}
}  // namespace

TEST_CASE("anticoagulants, bisphosphonates and denosumab are highlighted — other medicines are not") {
    CHECK(classify(drug("ワーファリン錠１ｍｇ", "")) == Highlight::Anticoagulant);
    CHECK(classify(drug("", "ワルファリンカリウム")) == Highlight::Anticoagulant);
    CHECK(classify(drug("エリキュース錠５ｍｇ", "アピキサバン")) == Highlight::Anticoagulant);
    CHECK(classify(drug("リクシアナＯＤ錠３０ｍｇ", "")) == Highlight::Anticoagulant);
    CHECK(classify(drug("プラザキサカプセル７５ｍｇ", "ダビガトランエテキシラートメタンスルホン酸塩")) ==
          Highlight::Anticoagulant);
    CHECK(classify(drug("謎の錠", "", "3339999F1010")) == Highlight::Anticoagulant);  // 薬効分類 333
    CHECK(classify(drug("ボナロン錠３５ｍｇ", "")) == Highlight::Bisphosphonate);
    CHECK(classify(drug("", "イバンドロン酸ナトリウム水和物")) == Highlight::Bisphosphonate);
    CHECK(classify(drug("ゾメタ点滴静注４ｍｇ", "")) == Highlight::Bisphosphonate);
    CHECK(classify(drug("プラリア皮下注６０ｍｇシリンジ", "デノスマブ")) == Highlight::Antiresorptive);
    CHECK(classify(drug("アムロジピン錠５ｍｇ", "アムロジピンベシル酸塩", "2171022F1015")) == Highlight::None);
    CHECK(classify(drug("バイアスピリン錠１００ｍｇ", "アスピリン", "3399007H1021")) == Highlight::None);
    CHECK(classify(drug("", "", "333")) == Highlight::None);  // not a YJ code
}

TEST_CASE("the medication history is grouped by month, newest first, with dose, days and prescriber") {
    SyntheticPerson p;
    p.header = {"資格 七夫", "ｼｶｸ ﾅﾅｵ", "19401011", "1"};
    SyntheticOptions o;
    o.end_month = "202404";
    o.months = 3;
    DrugView v = drug_view(parse_drug(synthetic_drug_xml(p, o)));
    REQUIRE(v.months.size() == 3);
    CHECK(v.months[0].month == "202404");
    CHECK(v.months[0].label == "令和6年4月");
    CHECK(v.months[2].month == "202402");
    const auto& rows = v.months[0].rows;
    REQUIRE(rows.size() >= 3);
    for (size_t i = 1; i < rows.size(); ++i) CHECK(rows[i - 1].date >= rows[i].date);
    CHECK(rows.back().institution == "シミュレータ内科クリニック");
    CHECK_FALSE(rows.back().pharmacy.empty());
    CHECK(rows.back().dose.find("錠") != std::string::npos);
    CHECK_FALSE(rows.back().days.empty());
    CHECK(v.any(Highlight::Anticoagulant));
    CHECK(v.any(Highlight::Bisphosphonate));
    CHECK(v.highlighted.size() == 2);
}

TEST_CASE("checkup values line up by year with each item's range for its trend chart") {
    CheckupAnswer a;
    a.result_code = "1";
    auto checkup = [](const std::string& when, const std::string& sbp, const std::string& urine) {
        Checkup c;
        c.effective = when;
        c.items.push_back({"9A751000000000001", "収縮期血圧", "PQ", sbp, "mmHg", "", ""});
        c.items.push_back({"1A020000000190111", "尿糖", "CD", "", "", "", urine});
        return c;
    };
    a.checkups = {checkup("20230610", "140", "－"), checkup("20210610", "128", "－"), checkup("20220610", "", "＋")};
    CheckupView v = checkup_view(a);
    CHECK(v.years == std::vector<std::string>{"2021", "2022", "2023"});
    REQUIRE(v.items.size() == 2);
    CHECK(v.items[0].name == "収縮期血圧");
    CHECK(v.items[0].texts == std::vector<std::string>{"128", "", "140"});
    CHECK(v.items[0].values[0] == 128.0);
    CHECK_FALSE(v.items[0].values[1]);
    CHECK(v.items[0].min == 128.0);
    CHECK(v.items[0].max == 140.0);
    CHECK(v.items[1].texts[1] == "＋");  // a coded value shows its name
    CHECK_FALSE(v.items[1].values[1]);
    CHECK(wareki_day("20240415") == "令和6年4月15日");
    CHECK(wareki_month("bad") == "bad");
}
