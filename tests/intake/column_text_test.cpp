// The 院内患者 column, row by row as the clinic manual shows it, and the badge word alone.
#include <catch2/catch.hpp>

#include "core/intake/column_text.hpp"

using namespace onshi;
using ledger::QualificationCheck;

namespace {
QualificationCheck check(const std::string& status, const std::string& validity, const std::string& ps,
                         const std::string& rc, const std::string& at = "2021-08-17T09:30:00") {
    QualificationCheck c;
    c.checked_at = at;
    c.status = status;
    c.validity = validity;
    c.processing_status = ps;
    c.result_code = rc;
    return c;
}
}  // namespace

TEST_CASE("column text: every row of the manual") {
    struct Row {
        QualificationCheck c;
        const char* word;
        const char* text;
    };
    const Row rows[] = {
        {check("processing", "", "", ""), "照会中", "照会中 確認日：令和3年8月17日"},
        {check("valid", "1", "1", ""), "有効", "有効 確認日：令和3年8月17日"},
        {check("invalid", "2", "1", ""), "喪失", "喪失 確認日：令和3年8月17日【資格有効性:2】無効"},
        {check("invalid_new_qualification", "3", "1", ""), "喪失",
         "喪失 確認日：令和3年8月17日【資格有効性:3】無効（新しい資格あり）"},
        {check("not_found", "4", "1", ""), "該当なし", "該当なし 確認日：令和3年8月17日【資格有効性:4】該当資格なし"},
        {check("error", "", "2", "XXX"), "エラー",
         "エラー 確認日：令和3年8月17日【処理結果状況:2】【処理結果コード:XXX】"},
        // Beyond the manual's rows: 複数該当 and 有効（未登録） (医療扶助) keep the same shape.
        {check("multiple", "5", "1", ""), "複数該当", "複数該当 確認日：令和3年8月17日【資格有効性:5】複数該当"},
        {check("valid_unregistered", "6", "1", ""), "有効",
         "有効 確認日：令和3年8月17日【資格有効性:6】有効（未登録）"},
        // SegmentOfResult 9: no record-level status, the ErrorCode is the 処理結果コード.
        {check("error", "", "", "E9001"), "エラー", "エラー 確認日：令和3年8月17日【処理結果コード:E9001】"},
        // Refused by the terminal (.err): nothing to show but the word and the day.
        {check("error", "", "", ""), "エラー", "エラー 確認日：令和3年8月17日"},
        // 和暦 by the full date: 元年, and the day an era began.
        {check("valid", "1", "1", "", "2019-05-01T08:00:00"), "有効", "有効 確認日：令和元年5月1日"},
        {check("valid", "1", "1", "", "2019-04-30T08:00:00"), "有効", "有効 確認日：平成31年4月30日"},
    };
    for (const auto& r : rows) {
        INFO(r.text);
        CHECK(intake::column_text(r.c) == r.text);
        CHECK(intake::status_word(r.c) == r.word);
    }
}

TEST_CASE("column text: checks recorded without a status (older ledgers) read the same") {
    QualificationCheck lost = check("", "2", "1", "");
    lost.message = "喪失";
    CHECK(intake::column_text(lost) == "喪失 確認日：令和3年8月17日【資格有効性:2】無効");
    CHECK(intake::column_text(check("", "", "", "")) == "照会中 確認日：令和3年8月17日");
    CHECK(intake::column_text(check("", "1", "2", "XXX")) ==
          "エラー 確認日：令和3年8月17日【処理結果状況:2】【処理結果コード:XXX】");
    // An unknown validity is never shown as 有効.
    CHECK(intake::status_word(check("", "9", "1", "")) == "エラー");
}

TEST_CASE("status word of each status key") {
    CHECK(intake::status_word("processing") == "照会中");
    CHECK(intake::status_word("valid") == "有効");
    CHECK(intake::status_word("invalid") == "喪失");
    CHECK(intake::status_word("invalid_new_qualification") == "喪失");
    CHECK(intake::status_word("not_found") == "該当なし");
    CHECK(intake::status_word("error") == "エラー");
    CHECK(intake::status_word("") == "エラー");
}

TEST_CASE("column text: a time that is not a date is shown as recorded, never as another day") {
    CHECK(intake::column_text(check("valid", "1", "1", "", "2021-02-30T10:00:00")) == "有効 確認日：2021-02-30");
}
