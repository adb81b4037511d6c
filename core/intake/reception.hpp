#pragma once
// The day's reception list (受付一覧) of the 院内患者 screen, as the clinic manual shows it: カルテ番号, 患者氏名,
// 年齢 「N歳Mヶ月」, 受付時刻 and the オンライン資格確認 column of the patient's latest check that day; face/
// results that matched nobody listed as 原簿未登録. Adding a patient sends the 単件照会 of the registered card
// when [oqs] auto_query is on. The rules are in docs/oqs-terminal.md, "Reception list and 一括照会".
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/intake/single_query.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/rules/date.hpp"

namespace onshi::intake {

// 「31歳6ヶ月」: completed years and months on `on`. A month is reached, like a year, on the day before the
// monthly anniversary of the birth (the last day of a month that has no such day). "" for an invalid birth.
std::string age_text(const rules::Date& birth, const rules::Date& on);

// 今月未確認: no current card, or its 保険証確認日 is before the first of `day`'s month (or not recorded).
bool due_this_month(bool has_card, const std::string& card_checked_on, const rules::Date& day);

struct ReceptionListRow {
    std::string karte;  // "" for 原簿未登録
    std::string kanji_name, kana_name;
    std::string age;          // 「N歳Mヶ月」 on the list's day
    std::string received_at;  // 受付時刻 (ISO time)
    std::string column_text;  // オンライン資格確認 column; "" when no check that day
    std::string status;       // badge word (照会中, 有効 …); "" when no check that day
    std::string status_key;   // "valid", "processing" …; "" when no check that day
    bool due_this_month = false;
    bool registered = true;  // false: a face result that matched nobody (原簿未登録)
    std::string file;        // 原簿未登録: the face/ file it came as
};

// The list for `day`: patients in 受付時刻 order (one ledger query), then that day's unmatched face results.
std::vector<ReceptionListRow> reception_list(const ledger::LedgerStore& store, const rules::Date& day);

struct ReceptionAdd {
    ledger::LedgerStore::Received received;
    std::optional<SingleQueryRun> query;  // the automatic 単件照会, when one was sent
    std::string refused;                  // why no 単件照会 was sent (English; QueryRefused or nothing sent)
    std::string refused_ja;
};

// What an automatic 単件照会 needs; null gateway = auto_query off (the patient is only added).
struct AutoQuery {
    oqs::OqsGateway* gateway = nullptr;
    NextEvent next;
    std::chrono::milliseconds wait{60000};
};

// Adds the patient to `day`'s list (LedgerError when there is no such patient). When the patient was not on
// the list yet and `auto_query.gateway` is set, sends the 単件照会 of the registered card: a card that cannot
// be asked about is reported in `refused`, never an exception, and the patient stays on the list.
ReceptionAdd add_to_reception(ledger::LedgerStore& store, const std::string& karte, const rules::Date& day,
                              const std::string& staff_id, const AutoQuery& auto_query = {});

}  // namespace onshi::intake
