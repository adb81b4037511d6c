#pragma once
// Why staff use 目視確認, as the clinic manual lists the cases (plus その他). Chosen with one tap right after
// 職員認証, kept with the check in the 患者原簿 (its code) and shown in history (its Japanese).
#include <array>
#include <optional>
#include <string_view>

#include "core/text/messages_ja.hpp"

namespace onshi::flow {

enum class VisualReason {
    None,              // not chosen yet
    FaceAndPinFailed,  // 顔認証・暗証番号ともにできない
    PinLocked,         // 暗証番号ロック（3回失敗）: the patient resets the PIN at the 市区町村 窓口
    CannotOperate,     // 本人が操作できない（認知症・体調不良など）
    DeviceTrouble,     // 機器の不具合
    Other,             // その他
};

// The choices in the order the screen offers them.
const std::array<VisualReason, 5>& visual_reasons();
// The code stored with the check: "face_and_pin_failed", "pin_locked", "cannot_operate", "device_trouble",
// "other"; "" for None.
const char* visual_reason_key(VisualReason r);
std::optional<VisualReason> visual_reason_from_key(std::string_view key);
text::Msg visual_reason_title(VisualReason r);
// The Japanese for a stored code (history, CLI JSON); "" for "" or an unknown code.
std::string visual_reason_ja(std::string_view key);

}  // namespace onshi::flow
