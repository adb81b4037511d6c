#include "core/oqs/result.hpp"

#include <string_view>
#include <utility>

namespace onshi::oqs {
namespace {

Status from_validity(const std::string& v) {
    if (v == "1") return Status::Valid;
    if (v == "2") return Status::Invalid;
    if (v == "3") return Status::InvalidNewQualification;
    if (v == "4") return Status::NotFound;
    if (v == "5") return Status::Multiple;
    if (v == "6") return Status::ValidUnregistered;
    return Status::Error;
}

QualificationResult build(const SharedHeader& shared, const Text& prs, const Text& prc, const Text& prm,
                          const Text& validity, std::vector<QualificationRecord> records) {
    QualificationResult r;
    r.header = shared;
    const MessageHeader& h = *shared;
    r.validity = validity;
    r.records = std::move(records);
    r.processing_result_code = prc;
    // Built only for an エラー (a bulk answer has thousands of units, nearly all of them not errors).
    auto error = [&] { return ErrorInfo{h.segment_of_result, h.error_code, h.error_message, prs, prc, prm}; };
    // A file existing is not success: SegmentOfResult, then ProcessingResultStatus, then the validity.
    const std::string_view seg = h.segment_of_result ? std::string_view(*h.segment_of_result) : "1";
    if (seg == "2") {
        r.status = Status::Querying;
    } else if (seg != "1" || (prs && *prs != "1")) {
        r.status = Status::Error;
        r.error = error();
    } else if (!validity) {
        r.status = Status::Error;
        r.error = error();
        r.error->error_message = "no QualificationValidity in the answer";
    } else {
        r.status = from_validity(*validity);
        if (r.status == Status::Error) {
            r.error = error();
            r.error->error_message = "unknown QualificationValidity " + *validity;
        }
    }
    return r;
}

}  // namespace

const char* status_key(Status s) {
    switch (s) {
        case Status::Querying: return "processing";
        case Status::Valid: return "valid";
        case Status::Invalid: return "invalid";
        case Status::InvalidNewQualification: return "invalid_new_qualification";
        case Status::NotFound: return "not_found";
        case Status::Multiple: return "multiple";
        case Status::ValidUnregistered: return "valid_unregistered";
        case Status::Error: return "error";
    }
    return "error";
}

const char* status_label(Status s) {
    switch (s) {
        case Status::Querying: return "照会中";
        case Status::Valid: return "有効";
        case Status::Invalid: return "無効";
        case Status::InvalidNewQualification: return "無効（新しい資格あり）";
        case Status::NotFound: return "該当資格なし";
        case Status::Multiple: return "複数該当";
        case Status::ValidUnregistered: return "有効（未登録）";
        case Status::Error: return "エラー";
    }
    return "エラー";
}

std::string ErrorInfo::code() const {
    if (error_code && !error_code->empty()) return *error_code;
    return processing_result_code.value_or("");
}

std::string ErrorInfo::message() const {
    if (error_message && !error_message->empty()) return *error_message;
    return processing_result_message.value_or("");
}

std::string ErrorInfo::detail() const {
    std::string d;
    if (segment_of_result && *segment_of_result != "1" && *segment_of_result != "2") {
        // 異常終了 of the whole file: the record-level fields are not meaningful.
        d = "【ErrorCode:" + error_code.value_or("") + "】";
        return d;
    }
    if (processing_result_status) d += "【処理結果状況:" + *processing_result_status + "】";
    if (processing_result_code) d += "【処理結果コード:" + *processing_result_code + "】";
    return d;
}

std::string QualificationResult::label() const {
    std::string l = status_label(status);
    if (error) l += error->detail();
    return l;
}

QualificationResult qualification_result(const Message& m) {
    const MessageBody& b = m.body;
    return build(m.header, b.processing_result_status, b.processing_result_code, b.processing_result_message,
                 b.qualification_validity, b.results.value_or(std::vector<QualificationRecord>{}));
}

QualificationResult qualification_result(const Message& m, const BulkConfirmUnit& u) {
    return build(m.header, u.processing_result_status, u.processing_result_code, u.processing_result_message,
                 u.qualification_validity, u.results);
}

std::vector<QualificationResult> unit_results(Message&& m) {
    const SharedHeader header(std::move(m.header));
    std::vector<QualificationResult> out;
    out.reserve(m.body.units.size());
    for (BulkConfirmUnit& u : m.body.units)
        out.push_back(build(header, u.processing_result_status, u.processing_result_code, u.processing_result_message,
                            u.qualification_validity, std::move(u.results)));
    return out;
}

const MessageHeader& SharedHeader::operator*() const noexcept {
    static const MessageHeader none;
    return h_ ? *h_ : none;
}

MessageHeader& SharedHeader::edit() {
    if (!h_ || h_.use_count() > 1) h_ = std::make_shared<MessageHeader>(**this);
    return *h_;
}

}  // namespace onshi::oqs
