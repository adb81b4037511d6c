#pragma once
// VisualConfirmFlow: the 目視確認 visit as a pure state machine.
//   待機 → 職員認証 → カード待ち → 券面確認 → 同意 → (職員へ) → 照会中 → 差分確認 → 登録完了
// with ロック, エラー and 中止 reachable from every state. Time is injected; the devices are reached only
// through the ports; 中止 anywhere writes nothing to the ledger. Not thread-safe: post() from workers,
// pump() on the UI thread.
#include <deque>
#include <mutex>

#include "core/flow/clock.hpp"
#include "core/flow/inputs.hpp"
#include "core/flow/visit.hpp"
#include "core/oqs/gateway.hpp"

namespace onshi::flow {

struct FlowConfig {
    int64_t staff_idle_ms = 60000;    // staff screens lock after this long without a touch
    int64_t patient_idle_ms = 90000;  // patient screens return to staff after this long
    int64_t done_ms = 10000;          // 登録完了 clears itself
    int64_t aborted_ms = 3000;        // 中止 returns to 待機
    ledger::CheckMethod method = ledger::CheckMethod::Visual;
};

class VisualConfirmFlow {
public:
    VisualConfirmFlow(CardReader& card, oqs::OqsGateway& oqs, Ledger& ledger, Clock clock, FlowConfig config = {});

    void handle(const Input& input);      // UI thread
    void post(Input input);               // any thread; handled by the next pump()
    size_t pump();                        // handles what was posted; returns how many
    const Visit& visit() const { return v_; }
    int64_t now_ms() const { return clock_(); }
    // Milliseconds until a timeout fires (for the UI loop's wait), or -1 when none is pending.
    int64_t ms_to_next_timeout() const;

private:
    void go(Step s);
    void reset_to_standby();
    void fail(std::string title_ja, std::string guidance_ja, std::string detail = {});
    void on_timeouts();
    void start_card();
    void start_consent();
    void submit_query();
    void on_answer(const in::OqsAnswer& a);
    void open_patient(const std::string& karte);
    void apply(const diff::Decision& d);
    bool staff_step() const;

    template <class T> void on(const T&);

    CardReader& card_;
    oqs::OqsGateway& oqs_;
    Ledger& ledger_;
    Clock clock_;
    FlowConfig cfg_;
    Visit v_;
    std::mutex posted_mu_;
    std::deque<Input> posted_;
};

}  // namespace onshi::flow
