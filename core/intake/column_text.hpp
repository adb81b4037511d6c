#pragma once
// The オンライン資格確認 column of 院内患者 and its badge word, exactly as the clinic manual shows them
// (docs/oqs-terminal.md, "Face results and 単件照会"):
//   照会中 確認日：令和3年8月17日
//   有効 確認日：令和3年8月17日
//   喪失 確認日：令和3年8月17日【資格有効性:2】無効
//   喪失 確認日：令和3年8月17日【資格有効性:3】無効（新しい資格あり）
//   該当なし 確認日：令和3年8月17日【資格有効性:4】該当資格なし
//   エラー 確認日：令和3年8月17日【処理結果状況:2】【処理結果コード:XXX】
// Pure functions of a recorded check: no clock, no ledger access.
#include <string>

#include "core/ledger/types.hpp"

namespace onshi::intake {

// The check's status key: its recorded status, or the one its validity and codes give (older records).
std::string status_of(const ledger::QualificationCheck& c);

// The badge: 照会中, 有効, 喪失, 該当なし or エラー; 複数該当 for 資格有効性 5, which the manual does not show.
std::string status_word(const std::string& status_key);
std::string status_word(const ledger::QualificationCheck& c);

// 確認日 is the day of checked_at in 和暦 (core/rules/wareki).
std::string column_text(const ledger::QualificationCheck& c);

}  // namespace onshi::intake
