#pragma once
// The flow's Ledger port on the real LedgerStore (SQLite) with staff passcodes.
#include "core/flow/ports.hpp"

namespace onshi::flow {

class LedgerPort : public Ledger {
public:
    LedgerPort(ledger::LedgerStore& store, Clock clock, PasscodePolicy policy = {})
        : store_(store), passcode_(store, std::move(clock), policy) {}

    std::vector<StaffEntry> active_staff() override;
    AuthResult verify_staff(const std::string& id, const std::string& digits) override;
    int64_t staff_locked_for_ms(const std::string& id) override { return passcode_.locked_for_ms(id); }
    PasscodePolicy passcode_policy() const override { return passcode_.policy(); }
    diff::MatchResult match(const oqs::QualificationResult& result, size_t record_index) override;
    std::optional<ledger::PatientRecord> patient(const std::string& karte) override { return store_.patient(karte); }
    int64_t patient_version(const std::string& karte) override { return store_.patient_version(karte); }
    ledger::ApplyResult apply(const ledger::OverwritePlan& plan, const std::string& staff_id) override {
        return store_.apply(plan, staff_id);
    }
    int64_t mark_visual_check(int64_t check_id, const std::string& staff_id, const std::string& reason) override {
        return store_.mark_visual_check(check_id, staff_id, reason);
    }

    Passcode& passcode() { return passcode_; }

private:
    ledger::LedgerStore& store_;
    Passcode passcode_;
};

}  // namespace onshi::flow
