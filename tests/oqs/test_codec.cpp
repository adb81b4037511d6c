// Messages, encodings and statuses, without folders.
#include <catch2/catch.hpp>

#include "core/oqs/error.hpp"
#include "core/oqs/gateway.hpp"
#include "core/oqs/json_view.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/util/files.hpp"

using namespace onshi::oqs;

namespace {

QualificationRecord full_record() {
    QualificationRecord r;
    r.insured_card_classification = "01";
    r.insurer_number = "  139980";
    r.insured_card_symbol = "萩う10";
    r.insured_identification_number = "1639960291x001";
    r.insured_branch_number = "01";
    r.personal_family_classification = "1";
    r.name = "資格 一郎";
    r.name_kana = "ｼｶｸ ｲﾁﾛｳ";
    r.sex1 = "1";
    r.birthdate = "19600602";
    r.qualification_date = "20210801";
    r.insured_partial_contribution_ratio = "030";
    r.elderly_recipient = ElderlyRecipientCertificateInfo{"20150515", "20150601", "20250514", "020", {}};
    r.limit_application_consent = {"1", "20210801093000", std::nullopt};
    r.limit_application = LimitApplicationCertificateInfo{"01", "A03", "20210801", "20210801", "20220731", {}, {}};
    r.specific_diseases_consent = {"1", "20230605093000", std::nullopt};
    r.specific_diseases = std::vector<SpecificDiseasesCertificateInfo>{
        {"1", "20230401", "20230401", "20240331", "10000", {}}, {"2", "20230401", "20230401", "20240331", "0", {}}};
    r.pharmacists = {"1", "20230605093000", "20230705235959"};
    r.specific_health_checkups = {"0", "20230605093000", std::nullopt};
    r.diagnosis = {"1", "20230605093000", "20230705235959"};
    r.operation = {"1", "20230605093000", "20230705235959"};
    r.reference_number = "13";
    r.public_expense_number = "12130006";
    r.beneficiary_number = "1234566";
    MedicalTicketInfo t;
    t.ticket_type = "01";
    t.injury_name1 = "高血圧症";
    t.self_pay_amount = "0";
    r.medical_tickets = std::vector<MedicalTicketInfo>{t};
    r.extra.push_back(Element{"SomethingNew2026", "x", {}});
    return r;
}

SearchInfo search() {
    SearchInfo s;
    s.insurer_number = "  139980";
    s.insured_card_symbol = "萩う10";
    s.insured_identification_number = "1639960291x001";
    s.insured_branch_number = "01";
    s.birthdate = "19600602";
    s.limit_application_certificate_related_cons_flg = "1";
    s.arbitrary_identifier = "13_1";
    return s;
}

std::vector<Message> every_message() {
    std::vector<Message> v;
    auto add = [&](MessageKind k) -> Message& {
        v.emplace_back();
        v.back().kind = k;
        v.back().header.medical_institution_code = "1312345678";
        v.back().header.arbitrary_file_identifier = "afi-1";
        return v.back();
    };
    add(MessageKind::Siquc01Req).body.search = {search()};
    {
        Message& m = add(MessageKind::Siquc01Res);
        m.header.process_execution_time = "20210817093000";
        m.header.segment_of_result = "1";
        m.header.character_code_identifier = "0";
        m.body.search = {search()};
        m.body.processing_result_status = "1";
        m.body.qualification_validity = "1";
        m.body.results = std::vector<QualificationRecord>{full_record(), full_record()};
    }
    {
        Message& m = add(MessageKind::Face);
        m.header.reference_classification = "1";
        m.body.processing_result_status = "1";
        m.body.qualification_validity = "1";
        m.body.results = std::vector<QualificationRecord>{full_record()};
    }
    add(MessageKind::Muquc01Req).body.search = {search(), search(), search()};
    add(MessageKind::Muquc01Res).body.reception_number = "202108170001";
    add(MessageKind::Muquc02Req).body.reception_number = "202108170001";
    {
        Message& m = add(MessageKind::Muquc02Res);
        m.header.reception_number = "202108170001";
        m.header.number_of_processing_result = "2";
        for (int i = 0; i < 2; ++i) {
            BulkConfirmUnit u;
            u.search = search();
            u.processing_result_status = "1";
            u.qualification_validity = "1";
            u.results = {full_record()};
            m.body.units.push_back(u);
        }
    }
    add(MessageKind::Siimm01Req).body.registration =
        ReferenceRegistration{"13", "  139980", "萩う10", "1639960291x001", "01", {}};
    {
        Message& m = add(MessageKind::Siimm01Res);
        m.body.processing_result_status = "1";
        m.body.reference_number = "13";
    }
    {
        Message& m = add(MessageKind::Muhvq01Req);
        SearchInfo s;
        s.consent_date_from = "20230601";
        s.consent_date_to = "20230630";
        s.medical_treatment_flag = "2";
        m.body.search = {s};
    }
    add(MessageKind::Muhvq01Res).body.reception_number = "202306050001";
    add(MessageKind::Muhvq02Req).body.reception_number = "202306050001";
    {
        Message& m = add(MessageKind::Muhvq02Res);
        BulkConfirmUnit u;
        u.processing_result_status = "1";
        u.qualification_validity = "1";
        u.results = {full_record()};
        m.body.units.push_back(u);
    }
    return v;
}

}  // namespace

TEST_CASE("every message survives a write and a read, in UTF-8 and Shift_JIS", "[oqs][codec]") {
    for (Encoding e : {Encoding::Utf8, Encoding::ShiftJis}) {
        for (Message m : every_message()) {
            if (m.header.character_code_identifier) m.header.character_code_identifier = character_code_of(e);
            INFO(kind_name(m.kind) << " " << declaration_name(e));
            std::string bytes = serialize(m, e);
            CHECK(bytes.find(std::string("encoding=\"") + declaration_name(e) + "\"") != std::string::npos);
            ParsedFile f = parse_file(bytes, m.kind);
            CHECK(f.document.encoding == e);
            CHECK(f.message == m);
        }
    }
}

TEST_CASE("Shift_JIS bytes are CP932 and read back to the same names", "[oqs][codec]") {
    Message m = every_message()[1];
    m.header.character_code_identifier = "1";
    std::string sj = serialize(m, Encoding::ShiftJis);
    CHECK(sj.find("資格") == std::string::npos);  // not UTF-8 any more
    CHECK(sj.find(from_utf8("資格 一郎", Encoding::ShiftJis)) != std::string::npos);
    CHECK(parse_file(sj, m.kind).message.body.results->at(0).name == "資格 一郎");
}

TEST_CASE("committed fixtures: UTF-8 and Shift_JIS face results", "[oqs][codec]") {
    for (const char* f : {"OQSsiquc01res_face_utf8_20230605093000.xml", "OQSsiquc01res_face_sjis_20230605093000.xml"}) {
        INFO(f);
        auto bytes = onshi::files::read(std::string(ONSHI_SOURCE_DIR) + "/assets/oqs/fixtures/" + f);
        REQUIRE(bytes);
        ParsedFile p = parse_file(*bytes, *kind_from_file_name(f));
        QualificationResult r = qualification_result(p.message);
        CHECK(r.status == Status::Valid);
        REQUIRE(r.records.size() == 1);
        CHECK(r.records[0].name == "資格 七夫");
        CHECK(r.records[0].insurer_number == "39470000");
        CHECK(r.records[0].pharmacists.available_until == "20230705235959");
        auto j = parse_json(p);
        CHECK(j["derived"]["results"][0]["birthdate"] == "1940-10-11");
        CHECK(j["derived"]["results"][0]["consents"]["pharmacists"]["available_until"] == "2023-07-05T23:59:59");
    }
}

TEST_CASE("bad files are clear errors", "[oqs][codec]") {
    Message m = every_message()[1];
    std::string good = serialize(m, Encoding::Utf8);
    auto kind_of = [&](const std::string& bytes, const DecodeOptions& o = {}) -> std::optional<ErrorKind> {
        try {
            parse_file(bytes, MessageKind::Siquc01Res, o);
        } catch (const OqsError& e) {
            CHECK(std::string(e.what()).size() > 5);
            return e.kind;
        }
        return std::nullopt;
    };
    CHECK(kind_of(good.substr(0, good.size() / 2)) == ErrorKind::Malformed);  // truncated
    CHECK(kind_of("<XmlMsg><MessageHeader></XmlMsg>") == ErrorKind::Malformed);
    CHECK(kind_of("") == ErrorKind::Malformed);
    CHECK(kind_of("<?xml version=\"1.0\"?><Other/>") == ErrorKind::Malformed);
    CHECK(kind_of("<?xml version=\"1.0\" encoding=\"EUC-JP\"?><XmlMsg/>") == ErrorKind::Encoding);
    // Shift_JIS bytes declared as UTF-8.
    std::string sj = serialize(m, Encoding::ShiftJis);
    std::string lie = sj;
    lie.replace(lie.find("Shift_JIS"), 9, "UTF-8");
    CHECK(kind_of(lie) == ErrorKind::Encoding);
    // UTF-8 bytes declared as Shift_JIS: the CharacterCodeIdentifier (0 = UTF-8) gives them away.
    std::string lie2 = good;
    lie2.replace(lie2.find("UTF-8"), 5, "Shift_JIS");
    CHECK(kind_of(lie2).has_value());
    // Header says Shift_JIS while the file is UTF-8.
    std::string cc = good;
    cc.replace(cc.find("<CharacterCodeIdentifier>0<"), 27, "<CharacterCodeIdentifier>1<");
    CHECK(kind_of(cc) == ErrorKind::Mismatch);
    DecodeOptions small;
    small.max_bytes = 100;
    CHECK(kind_of(good, small) == ErrorKind::TooLarge);
    std::string nest;
    for (int i = 0; i < 100; ++i) nest += "<a>";
    CHECK(kind_of("<XmlMsg>" + nest) == ErrorKind::Malformed);
}

TEST_CASE("text a CP932 request cannot carry is refused before writing", "[oqs][codec]") {
    Message m = every_message()[0];
    m.body.search[0].insured_card_symbol = "𠮷10";
    try {
        serialize(m, Encoding::ShiftJis);
        FAIL("no error");
    } catch (const OqsError& e) {
        CHECK(e.kind == ErrorKind::Encoding);
        CHECK(std::string(e.what()).find("U+20BB7") != std::string::npos);
    }
    CHECK_NOTHROW(serialize(m, Encoding::Utf8));
}

TEST_CASE("statuses read exactly as the seed shows them", "[oqs][status]") {
    Message m = every_message()[1];
    const char* labels[] = {"有効", "無効", "無効（新しい資格あり）", "該当資格なし", "複数該当", "有効（未登録）"};
    for (int v = 1; v <= 6; ++v) {
        m.body.qualification_validity = std::to_string(v);
        CHECK(qualification_result(m).label() == labels[v - 1]);
    }
    m.body.processing_result_status = "2";
    m.body.processing_result_code = "EQS1002E";
    QualificationResult r = qualification_result(m);
    CHECK(r.status == Status::Error);
    CHECK(r.label() == "エラー【処理結果状況:2】【処理結果コード:EQS1002E】");
    m.body.processing_result_status = "1";
    m.header.segment_of_result = "9";
    m.header.error_code = "EQS9999E";
    CHECK(qualification_result(m).label() == "エラー【ErrorCode:EQS9999E】");
    m.header.segment_of_result = "2";
    CHECK(qualification_result(m).label() == "照会中");
}

TEST_CASE("a bulk answer's unit results: in file order, each as qualification_result reads it, one header",
          "[oqs][status]") {
    Message m;
    m.kind = MessageKind::Muquc02Res;
    m.header.segment_of_result = "1";
    m.header.process_execution_time = "20230605093000";
    for (const char* validity : {"1", "2", "4"}) {
        BulkConfirmUnit u;
        u.qualification_validity = validity;
        u.results.emplace_back().name = std::string("資格 ") + validity;
        m.body.units.push_back(u);
    }
    m.body.units[2].processing_result_status = "2";
    m.body.units[2].processing_result_code = "EQS1002E";
    const Message copy = m;
    std::vector<QualificationResult> all = unit_results(std::move(m));
    REQUIRE(all.size() == 3);
    for (size_t i = 0; i < all.size(); ++i) {
        const QualificationResult one = qualification_result(copy, copy.body.units[i]);
        CHECK(all[i].label() == one.label());
        CHECK(all[i].records == one.records);
        CHECK(*all[i].header == copy.header);
        CHECK(&*all[i].header == &*all[0].header);  // shared, not copied
    }
    CHECK(all[0].label() == "有効");
    CHECK(all[2].label() == "エラー【処理結果状況:2】【処理結果コード:EQS1002E】");
    // Changing one result's header changes that result alone.
    all[1].header.edit().process_execution_time = "20240101000000";
    CHECK(all[1].header->process_execution_time == "20240101000000");
    CHECK(all[0].header->process_execution_time == "20230605093000");
    // A result made without an answer reads an empty header.
    CHECK_FALSE(QualificationResult{}.header->process_execution_time);
}

TEST_CASE("requests from the gateway's query types", "[oqs][codec]") {
    QualificationQuery q;
    q.insurer_number = "139980";
    q.symbol = "萩う10";
    q.number = "1639960291x001";
    q.branch = "01";
    q.birthdate = {1960, 6, 2};
    q.confirmation_date = {2021, 8, 17};
    Message m = make_request(q, "1312345678");
    CHECK(m.body.search[0].insurer_number == "  139980");  // 国保: spaces, not zeros
    CHECK(m.body.search[0].birthdate == "19600602");
    q.branch = "1";
    CHECK_THROWS_AS(make_request(q, "1312345678"), OqsError);
}
