// The YZK/TKK answers' parsers and the requests: element names as docs/medinfo.md lists them, both encodings,
// the 電子処方箋/調剤結果 blocks with and without their prefix, refusals and limits.
#include <catch2/catch.hpp>

#include "core/oqs/error.hpp"
#include "core/oqs/medinfo.hpp"
#include "core/oqs/medinfo_sim.hpp"

using namespace onshi::oqs;
using onshi::Json;
using namespace onshi::oqs::medinfo;

namespace {

SyntheticPerson nanao() {
    SyntheticPerson p;
    p.header = {"資格 七夫", "ｼｶｸ ﾅﾅｵ", "19401011", "1"};
    p.seed = 42;
    return p;
}

SyntheticOptions opts(int months = 12, Encoding e = Encoding::Utf8) {
    SyntheticOptions o;
    o.end_month = "202404";
    o.months = months;
    o.encoding = e;
    o.medical_institution_code = "1312345678";
    o.arbitrary_file_identifier = "AFI123";
    return o;
}

ErrorKind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const OqsError& e) {
        return e.kind;
    }
    FAIL("expected an OqsError");
    return ErrorKind::Io;
}

}  // namespace

TEST_CASE("a synthetic 薬剤情報 answer parses month by month, in both encodings") {
    for (Encoding e : {Encoding::Utf8, Encoding::ShiftJis}) {
        DrugAnswer a = parse_drug(synthetic_drug_xml(nanao(), opts(12, e)));
        CHECK(a.ok());
        CHECK(a.patient.name == "資格 七夫");
        CHECK(a.patient.birth == "19401011");
        CHECK(a.arbitrary_file_identifier == "AFI123");
        REQUIRE(a.months.size() == 24);  // two prescriptions a month
        CHECK(a.months.front().month == "202404");
        CHECK(a.months.back().month == "202305");
        CHECK(a.months.front().source == "receipt");
        CHECK(a.months.front().prescriber_name == "シミュレータ内科クリニック");
        REQUIRE(!a.months.front().dates.empty());
        const DrugLine& d = a.months.front().dates.front().drugs.front();
        CHECK(!d.name.empty());
        CHECK(!d.ingredient.empty());
        CHECK(d.unit == "錠");
        CHECK(a.months.front().treatments.size() == 1);
    }
}

TEST_CASE("the 電子処方箋 and 調剤結果 blocks are read with or without their Sh/Cz prefix") {
    const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<XmlMsg><MessageHeader><ResultCode>1</ResultCode></MessageHeader><MessageBody>
<ShPrInf><ShPrMonthInf><ShMeTrMonth>202403</ShMeTrMonth><ShPrlsHNm>A医院</ShPrlsHNm>
  <ShDiDateInfs><ShDiDateInf><ShDiDate>20240301</ShDiDate><ShDrugInfs><ShDrugInf><ShDrugN>薬A</ShDrugN></ShDrugInf></ShDrugInfs></ShDiDateInf></ShDiDateInfs>
</ShPrMonthInf></ShPrInf>
<CzDiInf><CzDiMonthInf><MeTrMonth>202402</MeTrMonth>
  <DiDateInfs><DiDateInf><DiDate>20240202</DiDate><DrugInfs><DrugInf><DrugN>薬B</DrugN><Qua1>1</Qua1></DrugInf><DrugInf><DrugN>薬C</DrugN></DrugInf></DrugInfs></DiDateInf></DiDateInfs>
</CzDiMonthInf></CzDiInf>
</MessageBody></XmlMsg>)";
    DrugAnswer a = parse_drug(xml);
    REQUIRE(a.months.size() == 2);
    CHECK(a.months[0].source == "prescription");
    CHECK(a.months[0].month == "202403");
    CHECK(a.months[0].prescriber_name == "A医院");
    REQUIRE(a.months[0].dates.size() == 1);
    CHECK(a.months[0].dates[0].drugs.at(0).name == "薬A");
    CHECK(a.months[1].source == "dispensing");
    CHECK(a.months[1].dates.at(0).drugs.size() == 2);
    CHECK(a.months[1].dates.at(0).drugs[0].quantity == "1");
}

TEST_CASE("a refusal keeps its ResultCode and MessageContents") {
    DrugAnswer a = parse_drug(error_xml(InfoKind::Drug, "2", "閲覧同意がありません", Encoding::ShiftJis));
    CHECK_FALSE(a.ok());
    CHECK(a.result_code == "2");
    CHECK(a.message == "閲覧同意がありません");
    CHECK(a.months.empty());
}

TEST_CASE("a synthetic 特定健診情報 answer parses one checkup a year") {
    SyntheticOptions o = opts();
    o.years = 5;
    CheckupAnswer a = parse_checkup(synthetic_checkup_xml(nanao(), o));
    CHECK(a.ok());
    CHECK(a.patient.kana == "ｼｶｸ ﾅﾅｵ");
    REQUIRE(a.checkups.size() == 5);
    CHECK(a.checkups.front().effective.substr(0, 4) == "2020");
    CHECK(a.checkups.back().effective.substr(0, 4) == "2024");
    REQUIRE(a.checkups.front().items.size() == 14);
    CHECK(a.checkups.front().items[4].name == "収縮期血圧");
    CHECK(a.checkups.front().items[4].unit == "mmHg");
}

TEST_CASE("medical-information answers are held to the OQS limits and never parse as something else") {
    const std::string xml = synthetic_drug_xml(nanao(), opts(60));
    Limits small;
    small.max_lines = 100;
    CHECK(kind_of([&] { parse_drug(xml, small); }) == ErrorKind::TooLarge);
    Limits tiny_file;
    tiny_file.decode.max_bytes = 1000;
    CHECK(kind_of([&] { parse_drug(xml, tiny_file); }) == ErrorKind::TooLarge);
    CHECK(kind_of([&] { parse_drug(xml.substr(0, xml.size() / 2)); }) == ErrorKind::Malformed);
    CHECK(kind_of([&] { parse_checkup("%PDF-1.4\n"); }) == ErrorKind::Malformed);
    CHECK(kind_of([&] { parse_drug("<XmlMsg><MessageBody>&#0;</MessageBody></XmlMsg>"); }) == ErrorKind::Malformed);
}

TEST_CASE("the YZK request carries the card in its header, space-padded, and the months and FileCategory") {
    Query q;
    q.kind = InfoKind::Drug;
    q.insurer_number = "123456";
    q.symbol = "記号";
    q.number = "123";
    q.branch = "01";
    q.start_month = "202301";
    q.end_month = "202312";
    q.pdf = true;
    Message m = make_request(q, "1312345678");
    CHECK(m.kind == MessageKind::YzkSiquc01Req);
    const std::string xml = serialize(m, Encoding::ShiftJis);
    const std::string utf8 = to_utf8(xml, Encoding::ShiftJis);
    // MessageHeader in the order of the public sources.
    const auto at = [&](const char* s) { return utf8.find(s); };
    CHECK(at("<MedicalInstitutionCode>1312345678") < at("<InsurerNumber>  123456</InsurerNumber>"));
    CHECK(at("<InsurerNumber>") < at("<InsuranceCardSymbol>記号"));
    CHECK(at("<InsuranceCardSymbol>") < at("<InsuredPersonIdentificationNumber>123"));
    CHECK(at("<InsuredPersonIdentificationNumber>") < at("<BranchNumber>01"));
    CHECK(at("<StartDate>202301</StartDate>") < at("<EndDate>202312</EndDate>"));
    CHECK(at("<FileCategory>1</FileCategory>") != std::string::npos);
    CHECK(at("<PrDiInfClassification>1</PrDiInfClassification>") != std::string::npos);
    CHECK(at("<MedicalTreatmentFlag>1</MedicalTreatmentFlag>") != std::string::npos);
    CHECK(kind_from_file_name("YZKsiquc01res_202404150001.pdf") == MessageKind::YzkSiquc01Res);

    q.pdf = false;
    q.with_diagnosis = true;
    RequestCodes codes;
    codes.xml_with_diagnosis = "9";  // [open]: the clinic's configuration decides
    CHECK(serialize(make_request(q, "1312345678", codes), Encoding::Utf8).find("<FileCategory>9<") !=
          std::string::npos);

    Query t;
    t.kind = InfoKind::Checkup;
    t.insurer_number = "39470000";
    t.number = "1000007";
    const std::string tkk = serialize(make_request(t, "1312345678"), Encoding::Utf8);
    CHECK(tkk.find("<FileCategory>2</FileCategory>") != std::string::npos);
    CHECK(tkk.find("StartDate") == std::string::npos);
}

TEST_CASE("a request that cannot be sent is refused before anything is written") {
    Query q;
    q.insurer_number = "1234";
    q.number = "1";
    CHECK(kind_of([&] { make_request(q, "1312345678"); }) == ErrorKind::Usage);
    q.insurer_number = "39470000";
    q.number = "";
    CHECK(kind_of([&] { make_request(q, "1312345678"); }) == ErrorKind::Usage);
    q.number = "1";
    q.start_month = "202413";
    CHECK(kind_of([&] { make_request(q, "1312345678"); }) == ErrorKind::Usage);
    q.start_month = "202405";
    q.end_month = "202404";
    CHECK(kind_of([&] { make_request(q, "1312345678"); }) == ErrorKind::Usage);
    Query t;
    t.kind = InfoKind::Checkup;
    t.insurer_number = "39470000";
    t.number = "1";
    t.with_diagnosis = true;
    CHECK(kind_of([&] { make_request(t, "1312345678"); }) == ErrorKind::Usage);
}

TEST_CASE("the derived block of oqs parse is the parsed answer") {
    Json j = derived_json(synthetic_drug_xml(nanao(), opts(2)), InfoKind::Drug);
    CHECK(j["kind"] == "yzk");
    CHECK(j["ok"] == true);
    CHECK(j["months"].size() == 4);
    CHECK(j["months"][0]["dates"][0]["drugs"][0]["name"].is_string());
    Json t = derived_json(synthetic_checkup_xml(nanao(), opts()), InfoKind::Checkup);
    CHECK(t["checkups"].size() == 5);
}
