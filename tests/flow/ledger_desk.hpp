#pragma once
// The kiosk's desk on a real ledger (either engine, see tests/ledger/ledger_test_util.hpp): the 目視確認 flow, its
// LedgerPort and a card reader answered by hand, with one patient registered and staff S07 (passcode 246810).
#include <cstdint>

#include "core/flow/ledger_port.hpp"
#include "core/flow/visual_confirm_flow.hpp"
#include "tests/flow/fakes.hpp"
#include "tests/ledger/ledger_test_util.hpp"

namespace onshi::ledger::test {

struct LedgerDesk {
    TempDir d;
    Clock c;
    LedgerStore db = open_with(d.path / "l.sqlite", c);
    int64_t now;
    flow::PasscodePolicy policy = [] {
        flow::PasscodePolicy p;
        p.iterations = 1000;  // a test needs no slow hash
        return p;
    }();
    flow::LedgerPort port{db, [this] { return now; }, policy};
    flow::test::FakeCard card;
    flow::VisualConfirmFlow flow{card, port, [this] { return now; }};

    // `patient` registered by S01; the desk's clock at `local_time` (e.g. "2023-06-05T09:25:00").
    LedgerDesk(const OverwritePlan& patient, const char* local_time) : now(util::parse_local(local_time)) {
        db.apply(patient, "S01");
        port.passcode().add_staff("S07", "受付 花子", "reception", "246810", "setup");
    }
};

}  // namespace onshi::ledger::test
