// Helper for the crash test: applies plans forever and writes each committed カルテ番号 to stdout
// (one line, unbuffered, after COMMIT returned). The test kills it with SIGKILL at random moments.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "core/ledger/ledger_store.hpp"

using namespace onshi::ledger;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: ledger_crash_writer LEDGER\n");
        return 2;
    }
    try {
        auto db = LedgerStore::open(argv[1]);
        for (int n = 0;; ++n) {
            OverwritePlan p;
            p.kind = PlanKind::RegisterPatient;  // next カルテ番号
            p.fields = {{Field::KanaName, "シカク イチロウ"},
                        {Field::Birth, "1960-06-02"},
                        {Field::InsurerNumber, "139980"},
                        {Field::Kigo, "萩う10"},
                        {Field::Edaban, "01"}};
            p.check = PlannedCheck{CheckMethod::Visual, "", "1", "1", "", "", std::string(300, 'x')};
            p.consents = {{"薬剤情報", "1", "", ""}};
            auto r = db.apply(p, "crash");
            if (n % 3 == 0) {  // an update on an existing row too, so the WAL holds more than inserts
                OverwritePlan o;
                o.kind = PlanKind::OverwriteFields;
                o.karte = r.karte;
                o.fields = {{Field::Address, "東京都千代田区永田町1-99-" + std::to_string(n)}};
                db.apply(o, "crash");
            }
            std::string line = r.karte + "\n";
            if (::write(1, line.data(), line.size()) != ssize_t(line.size())) return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ledger_crash_writer: %s\n", e.what());
        return 1;
    }
}
