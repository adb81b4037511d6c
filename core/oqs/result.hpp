#pragma once
// What a qualification answer means for the reception counter: the status the clinic manual's screens show
// (照会中, 有効 … エラー) plus the records. Built from siquc01res, a face result or one bulk unit.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/oqs/messages.hpp"

namespace onshi::oqs {

enum class Status {
    Querying,                 // 照会中: asked, no answer yet (also SegmentOfResult 2, 処理中)
    Valid,                    // 有効 (QualificationValidity 1)
    Invalid,                  // 無効 (2)
    InvalidNewQualification,  // 無効（新しい資格あり） (3)
    NotFound,                 // 該当資格なし (4)
    Multiple,                 // 複数該当 (5)
    ValidUnregistered,        // 有効（未登録） (6, 医療扶助)
    Error,                    // エラー
};

const char* status_key(Status s);    // "valid", "invalid_new_qualification", … "processing" for Querying
const char* status_label(Status s);  // "有効", "無効（新しい資格あり）", …

// Why an answer is an エラー, with the codes staff read to the help desk.
struct ErrorInfo {
    Text segment_of_result, error_code, error_message;                                 // header level
    Text processing_result_status, processing_result_code, processing_result_message;  // record level
    std::string code() const;  // ErrorCode, else ProcessingResultCode
    std::string message() const;
    // "【処理結果状況:2】【処理結果コード:XXX】" or "【ErrorCode:XXX】", as the clinic manual's screens show it.
    std::string detail() const;
    bool operator==(const ErrorInfo&) const = default;
};

// The MessageHeader of the answer a result was read from. The results of one bulk answer share one: a
// 10,000-unit file makes 10,000 results (docs/performance.md, "OQS, 16-byte texts").
class SharedHeader {
public:
    SharedHeader() = default;
    SharedHeader(MessageHeader h) : h_(std::make_shared<MessageHeader>(std::move(h))) {}
    const MessageHeader& operator*() const noexcept;  // an empty header when there is none
    const MessageHeader* operator->() const noexcept { return &**this; }
    MessageHeader& edit();  // this result's own copy, to change

private:
    std::shared_ptr<MessageHeader> h_;  // never changed while shared: edit() copies first
};

struct QualificationResult {
    Status status = Status::Querying;
    Text validity;                   // QualificationValidity as sent
    std::optional<ErrorInfo> error;  // set iff status == Error
    SharedHeader header;
    std::vector<QualificationRecord> records;
    Text processing_result_code;  // also set on success for 付帯情報
    std::string file;             // the answer's file name
    bool late = false;            // arrived after the caller's timeout

    std::string label() const;  // status label, with the error detail for エラー
};

// From siquc01res or a face result.
QualificationResult qualification_result(const Message& m);
// From one BulkConfirmUnit of muquc02res / muhvq02res.
QualificationResult qualification_result(const Message& m, const BulkConfirmUnit& u);
// Every unit of a bulk answer, in file order, taking the units' records instead of copying them (an answer
// read once); the results share the answer's header.
std::vector<QualificationResult> unit_results(Message&& m);

}  // namespace onshi::oqs
