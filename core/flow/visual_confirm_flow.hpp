#pragma once
// VisualConfirmFlow: the 目視確認 visit as a pure state machine.
//   待機 → 職員認証 → カード待ち → 券面確認 → 顔認証付きカードリーダーへ → 結果待ち → 受け取った結果と同意
//   → 差分確認 → 登録完了
// with ロック, エラー and 中止 reachable from the staff steps. Every decision is a row of the transition
// table (core/flow/transitions.hpp, shown in docs/flow.md); this class holds the guards and actions the rows
// name. Time is injected; the card reader and the ledger are reached only through the ports; the visit sends
// nothing to the OQS terminal: the face-auth reader in its 目視確認モード makes the query and the terminal
// writes the face/ result the visit waits for (docs/oqs-terminal.md). 中止 anywhere writes nothing to the
// ledger. Not thread-safe: it runs on one thread (the kiosk's UI thread), and work from other threads
// reaches it only as closures through that thread's Mailbox (core/util/mailbox.hpp).
#include "core/flow/clock.hpp"
#include "core/flow/inputs.hpp"
#include "core/flow/transitions.hpp"
#include "core/flow/visit.hpp"

namespace onshi::flow {

struct FlowConfig {
    int64_t staff_idle_ms = 60000;  // staff screens lock after this long without a touch
    int64_t face_wait_ms =
        300000;  // 結果待ち: how long a face/ result is taken as this visit's ([oqs] face_wait_seconds)
    int64_t done_ms = 10000;    // 登録完了 clears itself
    int64_t aborted_ms = 3000;  // 中止 returns to 待機
    int64_t staff_check_ms = 5000;  // 待機: how often a frame looks again whether anybody can sign in
    ledger::CheckMethod method = ledger::CheckMethod::Visual;
};

class VisualConfirmFlow {
public:
    VisualConfirmFlow(CardReader& card, Ledger& ledger, Clock clock, FlowConfig config = {});

    void handle(const Input& input);  // the owner thread only
    const Visit& visit() const { return v_; }
    // Who sends a 照会番号登録 (none: 特健・薬剤等を取得する only links a 照会番号 OQS sent). Outlives the flow.
    void set_registrar(ReferenceRegistrar* r) { registrar_ = r; }
    int64_t now_ms() const { return clock_(); }
    // Milliseconds until a timeout fires (for the UI loop's wait), or -1 when none is pending.
    int64_t ms_to_next_timeout() const;

private:
    // The outcome of a port call an action made, for the internal event it raises.
    struct Scratch {
        AuthResult auth;
        Message refusal;
        diff::Decision::Kind applied_kind = diff::Decision::Kind::RecordOnly;
        ledger::ApplyResult applied;
        bool registration_sent = false;  // 特健・薬剤等を取得する asked the registrar
    };

    bool dispatch(Event ev, const Input* in);
    bool fire_first(Step from, Event ev, const Input* in);
    bool guard(Guard g, const Input* in) const;
    std::optional<Event> act(Action a, const Input* in);
    void settle(const Transition& t);
    void enter_default(Step s);
    void run_entry(Step s);
    void publish();

    template <class S>
    S& enter(S s);
    template <class S>
    S& st() {
        return std::get<S>(v_.state);
    }
    template <class S>
    const S& st() const {
        return std::get<S>(v_.state);
    }
    AuthPanel& auth();
    AuthPanel auth_panel() const;
    void touch_step();
    Message fail(state::Error e);
    std::optional<Event> apply(const diff::Decision& d);
    void open_patient(const std::string& karte);
    void recompute_diff();
    void take_face(state::FaceConsents c);
    void open_result(oqs::QualificationResult result, std::string raw_xml);
    bool this_persons(const in::FaceResult& r) const;
    bool in_window(const in::FaceResult& r) const;
    bool staff_idle() const;

    CardReader& card_;
    Ledger& ledger_;
    Clock clock_;
    FlowConfig cfg_;
    Visit v_;
    bool entered_ = false;
    Scratch scratch_;
    ReferenceRegistrar* registrar_ = nullptr;
};

}  // namespace onshi::flow
