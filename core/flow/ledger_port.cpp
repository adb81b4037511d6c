#include "core/flow/ledger_port.hpp"

namespace onshi::flow {

std::vector<StaffEntry> LedgerPort::active_staff() {
    // A member without a passcode cannot sign in: not offered on 職員認証, and no 職員用 for them on 待機.
    std::vector<StaffEntry> out;
    for (const auto& m : store_.list_staff())
        if (m.active && !m.hash.empty()) out.push_back({m.id, m.name});
    return out;
}

AuthResult LedgerPort::verify_staff(const std::string& id, const std::string& digits) {
    return passcode_.verify(id, digits);
}

diff::MatchResult LedgerPort::match(const oqs::QualificationResult& result, size_t record_index) {
    return diff::match_patient(store_, result, record_index);
}

}  // namespace onshi::flow
