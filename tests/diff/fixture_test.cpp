// OQS answer files (tests/diff/fixtures) read with core/oqs, then diffed and matched.
#include <catch2/catch.hpp>

#include "core/diff/patient_match.hpp"
#include "core/diff/qualification_diff.hpp"
#include "core/util/files.hpp"
#include "tests/diff/diff_test_util.hpp"

using namespace onshi;
using namespace onshi::diff;
using namespace onshi::diff::test;

namespace {
oqs::QualificationResult load(const std::string& name) {
    auto bytes = files::read(std::string(DIFF_FIXTURES) + "/" + name);
    REQUIRE(bytes);
    auto kind = oqs::kind_from_file_name(name);
    REQUIRE(kind);
    return oqs::qualification_result(oqs::parse_file(*bytes, *kind).message);
}
}  // namespace

TEST_CASE("fixture answers against 資格 一郎's ledger") {
    TempDir dir;
    auto db = open_ledger(dir);
    db.apply(ichiro_plan(), "S01");
    auto patient = db.patient("13");

    auto face = load("OQSsiquc01res_face_20210817093000_ichiro_halfwidth.xml");
    auto d = build_diff(&*patient, face);
    CHECK(d.classification == Classification::Unchanged);
    CHECK(d.rows[0].tier == rules::Tier::Normalized);  // ｼｶｸ ｲﾁﾛｳ against シカク イチロウ
    CHECK(d.offer_medical_info);
    auto m = match_patient(db, face);
    CHECK(m.kind == MatchResult::Kind::Linked);
    CHECK(m.karte == "13");

    auto sw = load("OQSsiquc01res_20210817093000_ichiro_133033.xml");
    auto s = build_diff(&*patient, sw);
    CHECK(s.classification == Classification::SwitchCard);
    CHECK(s.switch_date == "2021-08-01");
    CHECK(s.rows[size_t(ledger::Field::Detail)].online == "区分ウ");
    CHECK(s.rows[size_t(ledger::Field::LimitUntil)].online == "令和4年7月31日");

    auto nf = build_diff(&*patient, load("OQSsiquc01res_20210817093000_notfound.xml"));
    CHECK(nf.classification == Classification::NoValidCard);
    auto err = load("OQSsiquc01res_20210817093000_error.xml");
    CHECK(err.status == oqs::Status::Error);
    auto e = build_diff(&*patient, err);
    CHECK(e.classification == Classification::Error);
    auto plan = make_plan(e, &*patient, err, {Decision::Kind::RecordOnly, {}, ""}, {});
    REQUIRE(plan.check);
    CHECK(plan.check->result_code == "EOQS0001");
    CHECK_THAT(plan.check->message, Catch::Contains("照会に必要な項目が不足しています"));
}
