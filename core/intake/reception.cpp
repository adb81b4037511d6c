#include "core/intake/reception.hpp"

#include "core/intake/check_record.hpp"
#include "core/intake/column_text.hpp"
#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"

namespace onshi::intake {
namespace {

// The day the k-th month after `birth` is reached: the day before its monthly anniversary, or the last day
// of a month that has no such day (民法143条).
rules::Date month_reached(const rules::Date& birth, int k) {
    const int index = birth.month - 1 + k;
    const int y = birth.year + index / 12, m = index % 12 + 1;
    const int dim = rules::days_in_month(y, m);
    if (birth.day > dim) return {y, m, dim};
    return rules::Date{y, m, birth.day}.add_days(-1);
}

}  // namespace

std::string age_text(const rules::Date& birth, const rules::Date& on) {
    if (!birth.valid() || !on.valid()) return "";
    int months = 0;
    if (!(on < birth)) {
        months = (on.year - birth.year) * 12 + (on.month - birth.month) + 1;
        while (months > 0 && on < month_reached(birth, months)) --months;
    }
    return std::to_string(months / 12) + "歳" + std::to_string(months % 12) + "ヶ月";
}

bool due_this_month(bool has_card, const std::string& card_checked_on, const rules::Date& day) {
    if (!has_card) return true;
    const rules::Date first{day.year, day.month, 1};
    return card_checked_on.empty() || card_checked_on < first.iso();
}

std::vector<ReceptionListRow> reception_list(const ledger::LedgerStore& store, const rules::Date& day) {
    std::vector<ReceptionListRow> out;
    for (const auto& r : store.reception_rows(day.iso())) {
        ReceptionListRow row;
        row.karte = r.entry.karte;
        row.kanji_name = r.patient.kanji_name;
        row.kana_name = r.patient.kana_name;
        if (auto birth = rules::Date::from_iso(r.patient.birth)) row.age = age_text(*birth, day);
        row.received_at = r.entry.received_at;
        if (r.latest_check) {
            row.column_text = column_text(*r.latest_check);
            row.status_key = status_of(*r.latest_check);
            row.status = status_word(row.status_key);
        }
        row.due_this_month = due_this_month(r.has_card, r.card_checked_on, day);
        out.push_back(std::move(row));
    }
    // Face results that matched nobody that day: 原簿未登録, with what the answer says about the person.
    const std::string prefix = day.iso();
    for (const auto& in : store.intake_list("unmatched", 1000)) {
        if (in.received_at.compare(0, prefix.size(), prefix) != 0) continue;
        ReceptionListRow row;
        row.registered = false;
        row.file = in.file;
        row.received_at = in.received_at;
        row.status_key = in.status;
        row.status = status_word(in.status);
        ledger::QualificationCheck c;
        c.checked_at = in.received_at;
        c.status = in.status;
        if (auto full = store.intake_by_sha256(in.sha256)) {
            try {
                const oqs::Message m = oqs::parse_message(full->raw, oqs::MessageKind::Face);
                const oqs::QualificationResult result = oqs::qualification_result(m);
                const ledger::NewCheck n = check_from_result(result);
                c.validity = n.validity;
                c.processing_status = n.processing_status;
                c.result_code = n.result_code;
                c.message = n.message;
                if (!n.checked_at.empty()) c.checked_at = n.checked_at;
                if (!result.records.empty()) {
                    const oqs::QualificationRecord& rec = result.records.front();
                    row.kanji_name = rec.name.value_or("");
                    row.kana_name = rec.name_kana.value_or("");
                    if (auto birth = rules::Date::from_oqs(rec.birthdate.value_or(""))) row.age = age_text(*birth, day);
                }
            } catch (const oqs::OqsError&) {
                // Taken in as unmatched, so it parsed then; the status recorded at intake still shows.
            }
        }
        row.column_text = column_text(c);
        row.due_this_month = true;
        out.push_back(std::move(row));
    }
    return out;
}

ReceptionAdd add_to_reception(ledger::LedgerStore& store, const std::string& karte, const rules::Date& day,
                              const std::string& staff_id, const AutoQuery& auto_query) {
    ReceptionAdd out;
    out.received = store.receive(karte, day.iso(), staff_id);
    if (!out.received.added || !auto_query.gateway) return out;
    try {
        out.query = run_single_query(store, *auto_query.gateway, auto_query.next, karte, LimitConsent::Unasked, day,
                                     auto_query.wait, staff_id);
    } catch (const QueryRefused& e) {
        out.refused = e.what();
        out.refused_ja = e.message_ja;
    } catch (const oqs::OqsError& e) {
        out.refused = std::string("nothing sent: ") + e.what();
        out.refused_ja = "資格確認を送信できませんでした。";
    }
    return out;
}

}  // namespace onshi::intake
