#pragma once
// Fetching 薬剤情報 / 特定健診情報 (YZKsiquc01req / TKKsiquc01req) through the folder transport, the 照会番号登録
// (OQSsiimm01req) the clinic manual asks for before it, and the 訪問診療等 consent list (OQSmuhvq01/02).
// Each call writes its request, then waits on the caller's thread for the transport's event for that
// request. The rules are in docs/medinfo.md.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger/ledger_store.hpp"
#include "core/medinfo/consent.hpp"
#include "core/oqs/medinfo.hpp"
#include "core/oqs/result.hpp"
#include "core/oqs/transport.hpp"

namespace onshi::medinfo {

// The next event of the transport (the CLI and tests: oqs::EventWaiter::wait); nullopt when nothing came.
using NextEvent = std::function<std::optional<oqs::OqsEvent>(std::chrono::milliseconds)>;

struct FetchOptions {
    oqs::medinfo::InfoKind kind = oqs::medinfo::InfoKind::Drug;
    bool pdf = false;
    bool with_diagnosis = false;         // 薬剤 + 診療情報 (needs the DiagnosisInfo consent too)
    std::string start_month, end_month;  // 薬剤: YYYYMM; "" = not sent (the terminal's default period)
    std::string medical_institution_code;
    oqs::medinfo::RequestCodes codes;
    std::chrono::milliseconds wait{60000};
    int64_t now_ms = 0;  // 0: the system clock
    oqs::medinfo::Limits limits;
    std::string staff_id;
};

struct FetchResult {
    enum class Outcome {
        Stored,         // the answer is stored with the patient (`stored`)
        Refused,        // not sent: no valid consent (`consent`), no patient or card
        Failed,         // sent, but the terminal refused it, the answer is an error or unreadable
        TimedOut,       // sent, no answer within the wait (the request stays outstanding in the transport)
    };
    Outcome outcome = Outcome::Refused;
    std::string request;  // the request file ("" when nothing was sent)
    ConsentStatus consent;
    std::optional<ledger::MedinfoRecord> stored;
    std::string error_en, message_ja;  // unless Stored
};

FetchResult fetch(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport, const NextEvent& next,
                  const std::string& karte, const FetchOptions& opt);

// ---- 照会番号登録 ----
// The clinic manual: 「特健・薬剤等を取得する」 is offered when the answer matches the 原簿 and the 照会番号 is
// 未登録; it registers the patient's 診察券番号 (カルテ番号) as the 照会番号 at OQS. Needed exactly when the
// patient has no 照会番号 linked in the 原簿 and the OQS answer carried none (`answer_reference` "").
bool registration_needed(const ledger::PatientRecord& patient, const std::string& answer_reference);

struct RegistrationResult {
    enum class Outcome { Registered, Refused, Failed, TimedOut };
    Outcome outcome = Outcome::Refused;
    std::string request, reference_number;
    int64_t audit_id = 0;  // the audit row of the answer (Registered and Failed)
    std::string error_en, message_ja;
};

// Sends OQSsiimm01req for the patient's current card with the カルテ番号 as 照会番号 and records the answer
// (LedgerStore::record_reference_registration). Refused without sending when it is not needed.
RegistrationResult register_reference(ledger::LedgerStore& store, oqs::OqsFolderTransport& transport,
                                      const NextEvent& next, const std::string& karte, const std::string& mic,
                                      std::chrono::milliseconds wait, const std::string& staff_id);

// ---- 訪問等資格確認 (マイナ在宅受付Web 同意済一覧) ----
struct HomeVisitRow {
    bool confirmed = false;  // オン資確認: 確認済 when the 照会番号 is linked to a patient of the 原簿
    std::string karte;       // that patient
    std::string checked_at;  // 資格確認日: the answer's ProcessExecutionTime (YYYYMMDDHHmmss)
    std::string kanji, kana, sex, birth, insurer_number, reference_number, validity;
    oqs::QualificationRecord record;
    // The row as a 資格確認 answer for 差分確認 (its unit of the 02 answer) and that answer with this unit
    // alone, serialized: the check recorded for it keeps no other patient's data.
    oqs::QualificationResult result;
    std::string raw_xml;
};

struct HomeVisitList {
    bool ok = false;
    std::string reception_number, request, error_en;
    std::vector<HomeVisitRow> rows;
};

// OQSmuhvq01req for the 確認期間 [from, to] (YYYYMMDD), then OQSmuhvq02req until the list is ready (処理中
// answers are polled again after `poll_interval`, at most `max_polls` times).
HomeVisitList home_visit_list(const ledger::LedgerStore& store, oqs::OqsFolderTransport& transport,
                              const NextEvent& next, const std::string& mic, const std::string& from,
                              const std::string& to, std::chrono::milliseconds wait,
                              std::chrono::milliseconds poll_interval = std::chrono::milliseconds(2000),
                              int max_polls = 30);

}  // namespace onshi::medinfo
