// Face intake on real ledgers: parsed in either encoding, matched with core/diff, recorded once by content,
// unmatched and malformed files kept, and the 原簿 never changed.
#include <catch2/catch.hpp>

#include "core/intake/column_text.hpp"
#include "core/intake/face_intake.hpp"
#include "core/oqs/xml_codec.hpp"
#include "core/util/files.hpp"
#include "tests/ledger/ledger_test_util.hpp"

using namespace onshi;
using namespace onshi::ledger;
using namespace onshi::ledger::test;

namespace {

std::string fixture(const std::string& name) {
    auto b = files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/fixtures/" + name);
    REQUIRE(b);
    return *b;
}
const std::string kUtf8Name = "OQSsiquc01res_face_utf8_20230605093000.xml";
const std::string kSjisName = "OQSsiquc01res_face_sjis_20230605093000.xml";

OverwritePlan register_nanao(const std::string& karte = "20") {
    OverwritePlan p;
    p.kind = PlanKind::RegisterPatient;
    p.karte = karte;
    p.fields = {{Field::KanaName, "シカク ナナオ"}, {Field::KanjiName, "資格　七夫"},   {Field::Sex, "1"},
                {Field::Birth, "1940-10-11"},       {Field::InsurerNumber, "39470000"}, {Field::Bango, "1000007"}};
    return p;
}

struct Face {
    std::string name = "資格 一郎", kana = "ｼｶｸ ｲﾁﾛｳ", birth = "19600602", sex = "1";
    std::string insurer = "  133033", reference, validity = "1", status = "1", code;
    std::string time = "20210817093000";
    bool reversed = false;  // every element group in the opposite order
    std::string xml() const {
        std::vector<std::string> header = {
            "<ProcessExecutionTime>" + time + "</ProcessExecutionTime>",
            "<QualificationConfirmationDate>" + time.substr(0, 8) + "</QualificationConfirmationDate>",
            "<MedicalInstitutionCode>1312345678</MedicalInstitutionCode>",
            "<ReferenceClassification>1</ReferenceClassification>",
            "<SegmentOfResult>1</SegmentOfResult>",
            "<CharacterCodeIdentifier>0</CharacterCodeIdentifier>"};
        std::vector<std::string> record = {"<InsurerNumber>" + insurer + "</InsurerNumber>",
                                           "<InsuredCardSymbol>葛う10</InsuredCardSymbol>",
                                           "<InsuredIdentificationNumber>1639960291x001</InsuredIdentificationNumber>",
                                           "<InsuredBranchNumber>01</InsuredBranchNumber>",
                                           "<Name>" + name + "</Name>",
                                           "<NameKana>" + kana + "</NameKana>",
                                           "<Sex1>" + sex + "</Sex1>",
                                           "<Birthdate>" + birth + "</Birthdate>"};
        if (!reference.empty()) record.push_back("<ReferenceNumber>" + reference + "</ReferenceNumber>");
        std::vector<std::string> body = {"<ProcessingResultStatus>" + status + "</ProcessingResultStatus>"};
        if (!code.empty()) body.push_back("<ProcessingResultCode>" + code + "</ProcessingResultCode>");
        if (!validity.empty()) body.push_back("<QualificationValidity>" + validity + "</QualificationValidity>");
        auto join = [&](std::vector<std::string> v) {
            if (reversed) std::reverse(v.begin(), v.end());
            std::string s;
            for (auto& e : v) s += e;
            return s;
        };
        body.push_back("<ResultList><ResultOfQualificationConfirmation>" + join(record) +
                       "</ResultOfQualificationConfirmation></ResultList>");
        std::vector<std::string> parts = {"<MessageHeader>" + join(header) + "</MessageHeader>",
                                          "<MessageBody>" + join(body) + "</MessageBody>"};
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<XmlMsg>" + join(parts) + "</XmlMsg>\n";
    }
};

intake::FaceIntakeReport take(LedgerStore& db, const std::string& name, const std::string& bytes) {
    return intake::take_in_face(db, {name, bytes});
}

}  // namespace

TEST_CASE("a UTF-8 face result is matched, recorded once with its raw XML, and the 原簿 is left alone") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_nanao(), "S01");
    const auto before = *db.patient("20");
    const std::string bytes = fixture(kUtf8Name);

    auto r = take(db, kUtf8Name, bytes);
    CHECK(r.recorded);
    CHECK_FALSE(r.malformed);
    CHECK(r.karte == "20");
    CHECK(r.match == "tier:normalized");  // half-width kana against the ledger's full-width
    CHECK(r.status == "有効");
    REQUIRE(r.check);
    CHECK(r.check->method == CheckMethod::Face);
    CHECK(r.check->status == "valid");
    CHECK(r.check->checked_at == "2023-06-05T09:30:00");  // ProcessExecutionTime
    CHECK(r.check->raw_xml == bytes);
    CHECK(r.check->card_id == 0);
    CHECK(r.check->staff_id == "intake");
    CHECK(intake::column_text(*r.check) == "有効 確認日：令和5年6月5日");

    const auto after = *db.patient("20");
    CHECK(after.patient.kana_name == before.patient.kana_name);  // never overwritten from the face result
    CHECK(after.patient.kanji_name == before.patient.kanji_name);
    REQUIRE(after.cards.size() == 1);
    CHECK(after.cards[0].insurer_number == before.cards[0].insurer_number);
    CHECK(after.cards[0].card_checked_on == before.cards[0].card_checked_on);
    CHECK(after.cards[0].detail == before.cards[0].detail);
    CHECK(after.consents.empty());
    CHECK(after.reference_number().empty());

    // Again, and again under another name after a restart: nothing new.
    CHECK_FALSE(take(db, kUtf8Name, bytes).recorded);
    db = open_with(d.path / "l.sqlite", c);
    auto again = take(db, "OQSsiquc01res_face_copy_20230605093000.xml", bytes);
    CHECK_FALSE(again.recorded);
    CHECK(again.karte == "20");
    CHECK(again.status == "有効");
    CHECK(again.match == "tier:normalized");
    REQUIRE(again.check);
    CHECK(again.check->id == r.check->id);
    CHECK(checks_of(db, "20") == 1);
}

TEST_CASE("a Shift_JIS face result is read, matched and stored as UTF-8 text, its bytes are kept as they came") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_nanao(), "S01");
    const std::string bytes = fixture(kSjisName);
    REQUIRE(oqs::first_invalid_utf8(bytes) != std::string::npos);  // really Shift_JIS

    auto r = take(db, kSjisName, bytes);
    CHECK(r.recorded);
    CHECK(r.karte == "20");
    REQUIRE(r.check);
    CHECK(r.check->raw_xml == oqs::to_utf8(bytes, oqs::Encoding::ShiftJis));
    CHECK(r.check->raw_xml.find("資格 七夫") != std::string::npos);
    auto row = db.intake_by_sha256(r.sha256);
    REQUIRE(row);
    CHECK(row->raw == bytes);
    CHECK(row->outcome == "matched");
    // The UTF-8 file is other bytes: a result of its own (the reader wrote one file per reception).
    CHECK(take(db, kUtf8Name, fixture(kUtf8Name)).recorded);
    CHECK(checks_of(db, "20") == 2);
}

TEST_CASE("the 照会番号 matches first, elements in any order, a space-padded 保険者番号 is read as sent") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");  // 照会番号 A1_1510110016
    Face f;
    f.reference = "A1_1510110016";
    f.name = "資格 別名";  // a different name: the 照会番号 decides
    f.kana = "ｼｶｸ ﾍﾞﾂﾒｲ";
    f.reversed = true;
    auto r = take(db, "OQSsiquc01res_face_a_20210817093000.xml", f.xml());
    CHECK(r.recorded);
    CHECK(r.match == "reference");
    CHECK(r.karte == "13");
    REQUIRE(r.check);
    CHECK(r.check->raw_xml.find("<InsurerNumber>  133033</InsurerNumber>") != std::string::npos);
    // The card in the 原簿 is still the old one: the face result's new insurer is for staff to take over.
    CHECK(db.patient("13")->current_card()->insurer_number == "139980");
    CHECK(db.patient("13")->patient.kanji_name == "資格　一郎");

    // Without the 照会番号 the name tiers decide.
    Face g;
    g.time = "20210817100000";
    auto t = take(db, "OQSsiquc01res_face_b_20210817100000.xml", g.xml());
    CHECK(t.match == "tier:normalized");
    CHECK(t.karte == "13");
}

TEST_CASE("a face result that matches nobody, or several, is kept once for staff to place") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    Face nobody;
    nobody.name = "新患 花子";
    nobody.kana = "ｼﾝｶﾝ ﾊﾅｺ";
    nobody.birth = "19800101";
    nobody.sex = "2";
    auto r = take(db, "OQSsiquc01res_face_n_20210817093000.xml", nobody.xml());
    CHECK(r.recorded);
    CHECK(r.karte.empty());
    CHECK(r.match == "none");
    CHECK(r.status == "有効");
    CHECK_FALSE(r.check);
    CHECK_FALSE(take(db, "renamed.xml", nobody.xml()).recorded);
    auto listed = db.intake_list("unmatched");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].file == "OQSsiquc01res_face_n_20210817093000.xml");
    CHECK(db.intake_by_sha256(r.sha256)->raw == nobody.xml());

    // Two patients with the same birth date, sex and name: staff choose, nothing is recorded for either.
    OverwritePlan twin = register_ichiro("14");
    twin.reference_number.clear();
    db.apply(twin, "S01");
    Face both;
    both.time = "20210817110000";
    auto t = take(db, "OQSsiquc01res_face_t_20210817110000.xml", both.xml());
    CHECK(t.recorded);
    CHECK(t.match == "choose");
    CHECK(t.karte.empty());
    CHECK(t.candidates == std::vector<std::string>{"13", "14"});
    CHECK(checks_of(db, "13") == 1);  // only the check of the registration
    CHECK(checks_of(db, "14") == 1);
}

TEST_CASE("error and lost results are recorded with their codes and column text") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_ichiro(), "S01");
    Face err;
    err.status = "2";
    err.code = "EQS9999E";
    err.validity = "";
    auto r = take(db, "OQSsiquc01res_face_e_20210817093000.xml", err.xml());
    REQUIRE(r.check);
    CHECK(r.status == "エラー");
    CHECK(intake::column_text(*r.check) ==
          "エラー 確認日：令和3年8月17日【処理結果状況:2】【処理結果コード:EQS9999E】");
    Face lost;
    lost.validity = "3";
    lost.time = "20210818093000";
    auto l = take(db, "OQSsiquc01res_face_l_20210818093000.xml", lost.xml());
    REQUIRE(l.check);
    CHECK(l.status == "喪失");
    CHECK(intake::column_text(*l.check) == "喪失 確認日：令和3年8月18日【資格有効性:3】無効（新しい資格あり）");
}

TEST_CASE("malformed files are kept once with their reason and never throw") {
    TempDir d;
    Clock c;
    auto db = open_with(d.path / "l.sqlite", c);
    db.apply(register_nanao(), "S01");
    const std::string utf8 = fixture(kUtf8Name);
    const std::pair<const char*, std::string> bad[] = {
        {"not XML", "this is not a face result"},
        {"truncated", utf8.substr(0, utf8.size() / 2)},
        {"empty", ""},
        {"wrong encoding", "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg>\xff\xff</XmlMsg>"},
        {"forbidden character",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>&#0;</MessageHeader></XmlMsg>"},
        {"other root", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Other/>"},
    };
    int n = 0;
    for (const auto& [what, bytes] : bad) {
        INFO(what);
        const std::string name = "OQSsiquc01res_face_bad" + std::to_string(++n) + "_20230605093000.xml";
        intake::FaceIntakeReport r;
        REQUIRE_NOTHROW(r = take(db, name, bytes));
        CHECK(r.recorded);
        CHECK(r.malformed);
        CHECK(r.status == "malformed");
        CHECK_FALSE(r.reason.empty());
        CHECK_FALSE(r.check);
        auto again = take(db, name, bytes);
        CHECK_FALSE(again.recorded);
        CHECK(again.malformed);
        CHECK(again.reason == r.reason);
    }
    CHECK(db.intake_list("malformed").size() == std::size(bad));
    CHECK(checks_of(db, "20") == 0);
}

TEST_CASE("a ledger that cannot be written is a ledger failure, never a malformed file") {
    TempDir d;
    Clock c;
    {
        auto db = open_with(d.path / "l.sqlite", c);
        db.apply(register_nanao(), "S01");
    }
    LedgerStore::Options ro;
    ro.read_only = true;
    auto db = LedgerStore::open(ledger_at(d.path / "l.sqlite"), ro);
    CHECK_THROWS_AS(take(db, kUtf8Name, fixture(kUtf8Name)), LedgerError);
    CHECK_THROWS_AS(take(db, "bad.xml", "not xml"), LedgerError);
    auto rw = open_with(d.path / "l.sqlite", c);
    CHECK(rw.intake_list().empty());
    CHECK(take(rw, kUtf8Name, fixture(kUtf8Name)).recorded);  // taken in on the next run
}
