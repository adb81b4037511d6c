// build_diff: the ledger's patient + current card against one OQS record, and what the result allows.
#include "core/diff/qualification_diff.hpp"

#include <stdexcept>

#include "core/diff/values.hpp"
#include "core/rules/numbers.hpp"

namespace onshi::diff {
namespace {
using ledger::Field;
using rules::Tier;

// Names, numbers and 詳細情報 are compared as OQS sent them (so half-width kana reads as Normalized);
// dates and codes in the ledger's form.
bool compare_raw(Field f) { return !ledger::is_date_field(f) && f != Field::Sex && f != Field::Relationship; }

DiffRow make_row(Field f, const ledger::Patient* p, const ledger::InsuranceCard* card,
                 const oqs::QualificationRecord* rec) {
    DiffRow row;
    row.field = f;
    row.label = ledger::to_japanese(f);
    const std::string cur = p ? detail::current_value(*p, card, f) : "";
    row.current = detail::display(f, cur);
    const detail::OnlineValue ov = rec ? detail::online_value(*rec, f) : detail::OnlineValue{};
    row.online_value = ov.value;
    row.online = ov.carried ? detail::display(f, ov.value) : ov.raw;
    row.online_carried = ov.carried;
    if (!ov.carried) {
        // Nothing usable from OQS: nothing can be written, so it is never a difference.
        row.tier = cur.empty() ? Tier::Exact : Tier::Different;
        row.reason = !ov.problem.empty() ? "OQS value unusable (" + ov.problem + "); the ledger keeps its value"
                     : cur.empty()       ? "neither side has a value"
                                         : "OQS sent nothing; the ledger keeps its value";
        return row;
    }
    if (cur.empty()) {
        row.tier = Tier::Different;
        row.reason = "only OQS has a value";
    } else {
        auto c = detail::compare_field(f, cur, compare_raw(f) ? ov.raw : ov.value);
        row.tier = c.tier;
        row.reason = c.reason.en;
        // The card's stored codes are the ledger's own reading of its 詳細情報 text.
        if (f == Field::Detail && row.tier == Tier::Different && card && rec &&
            (!card->burden_ratio.empty() || !card->limit_class.empty()) &&
            card->burden_ratio == detail::ratio_code(*rec) && card->limit_class == detail::limit_flag(*rec)) {
            row.tier = Tier::Normalized;
            row.reason = "the card's stored 負担割合 and 限度額区分 codes are the ones OQS sent";
        }
    }
    row.differs = row.tier == Tier::Probable || row.tier == Tier::Different;
    if (row.differs) {
        if (f == Field::ValidUntil) row.extends = !cur.empty() && ov.value > cur;  // ISO dates sort as text
        if (f == Field::Edaban) row.extends = cur.empty();
    }
    return row;
}

// Same card: same 保険者番号 (OQS's padding removed) and 記号・番号 (枝番 only when both have one). A ledger
// card whose 番号 was never typed (only 保険者番号 and perhaps 記号) is the same card being completed.
bool same_card(const ledger::InsuranceCard* card, const oqs::QualificationRecord& r) {
    if (!card) return false;
    const std::string ours = rules::insurer_key(card->insurer_number);
    if (ours.empty() || ours != rules::insurer_key(r.insurer_number.value_or(""))) return false;
    const rules::CardNumber a{card->kigo, card->bango, card->edaban};
    const rules::CardNumber b{r.insured_card_symbol.value_or(""), r.insured_identification_number.value_or(""),
                              r.insured_branch_number.value_or("")};
    if (rules::compare_card_numbers(a, b).tier != Tier::Different) return true;
    const bool edaban_clash =
        !a.edaban.empty() && !b.edaban.empty() && rules::card_part_key(a.edaban) != rules::card_part_key(b.edaban);
    return a.bangou.empty() && !edaban_clash &&
           (a.kigou.empty() || rules::card_part_key(a.kigou) == rules::card_part_key(b.kigou));
}

// What staff should do next for each status (the clinic manual's 院内患者 table, オンライン資格確認 column).
text::Message guidance(oqs::Status s) {
    using text::Msg;
    switch (s) {
        case oqs::Status::Invalid: return text::msg(Msg::GuidanceInvalid);
        case oqs::Status::InvalidNewQualification: return text::msg(Msg::GuidanceInvalidNewQualification);
        case oqs::Status::NotFound: return text::msg(Msg::GuidanceNotFound);
        case oqs::Status::Multiple: return text::msg(Msg::GuidanceMultiple);
        case oqs::Status::Querying: return text::msg(Msg::GuidanceQuerying);
        case oqs::Status::Error: return text::msg(Msg::GuidanceError);
        case oqs::Status::Valid:
        case oqs::Status::ValidUnregistered: break;
    }
    return {};
}

void set_defaults(DiffResult& d) {
    for (DiffRow& row : d.rows) {
        const bool card_row = !ledger::is_patient_field(row.field);
        switch (d.classification) {
            case Classification::ExtendOnly: row.overwrite = row.extends; break;
            // The same card with other differences: nothing is pre-ticked. 更新する writes on the same card only
            // the rows staff ticked themselves in 上書き mode (the clinic manual: 「上書き」をクリックし、修正したい
            // 箇所にチェックを入れ「更新する」), so a press outside 上書き mode writes nothing.
            case Classification::Overwrite: row.overwrite = false; break;
            case Classification::SwitchCard:
                row.overwrite = card_row ? row.online_carried : row.differs && row.tier == Tier::Different;
                break;
            case Classification::NewPatient: row.overwrite = row.online_carried; break;
            default: row.overwrite = false; break;
        }
    }
}

}  // namespace

const char* classification_key(Classification c) {
    switch (c) {
        case Classification::Unchanged: return "unchanged";
        case Classification::ExtendOnly: return "extend_only";
        case Classification::Overwrite: return "overwrite";
        case Classification::SwitchCard: return "switch_card";
        case Classification::NewPatient: return "new_patient";
        case Classification::NoValidCard: return "no_valid_card";
        case Classification::Error: return "error";
    }
    return "error";
}

std::vector<const DiffRow*> DiffResult::differing() const {
    std::vector<const DiffRow*> out;
    for (const auto& r : rows)
        if (r.differs) out.push_back(&r);
    return out;
}

const oqs::QualificationRecord* detail::record_at(const oqs::QualificationResult& result, size_t index) {
    if (result.records.empty()) return nullptr;
    if (index >= result.records.size())
        throw Refused(text::msg(text::Msg::RecordOutOfRange, int(index + 1), int(result.records.size())));
    return &result.records[index];
}

DiffResult build_diff(const ledger::PatientRecord* current, const oqs::QualificationResult& result,
                      size_t record_index) {
    DiffResult d;
    const oqs::QualificationRecord* rec = detail::record_at(result, record_index);
    const ledger::Patient* p = current ? &current->patient : nullptr;
    const ledger::InsuranceCard* card = current ? current->current_card() : nullptr;
    for (int i = 0; i < ledger::kFieldCount; ++i) d.rows.push_back(make_row(Field(i), p, card, rec));
    if (rec) d.reference_number = rec->reference_number.value_or("");

    switch (result.status) {
        case oqs::Status::Valid:
        case oqs::Status::ValidUnregistered:
            if (!rec) {
                d.classification = Classification::Error;
                d.guidance = text::msg(text::Msg::GuidanceNoRecord);
            } else if (!current) {
                d.classification = Classification::NewPatient;
            } else if (same_card(card, *rec)) {
                bool any = false, all_extend = true;
                for (const auto& row : d.rows) {
                    if (!row.differs) continue;
                    any = true;
                    all_extend = all_extend && row.extends;
                }
                d.classification = !any         ? Classification::Unchanged
                                   : all_extend ? Classification::ExtendOnly
                                                : Classification::Overwrite;
            } else {
                d.classification = Classification::SwitchCard;
                // 切替日: the day the new card becomes valid, i.e. its 保険有効開始日 row (the clinic manual:
                // 「保険有効開始を入力」); 資格取得日 only when OQS sends no 保険有効開始日.
                d.switch_date = detail::iso_from_oqs(rec->insured_card_valid_date);
                if (d.switch_date.empty()) d.switch_date = detail::iso_from_oqs(rec->qualification_date);
            }
            break;
        case oqs::Status::Invalid:
        case oqs::Status::InvalidNewQualification:
        case oqs::Status::NotFound:
            d.classification = Classification::NoValidCard;
            d.guidance = guidance(result.status);
            break;
        case oqs::Status::Multiple:
        case oqs::Status::Error:
        case oqs::Status::Querying:
            d.classification = Classification::Error;
            d.guidance = guidance(result.status);
            break;
    }
    set_defaults(d);
    // 特健・薬剤等を取得する (the manual: 内容が変わらず、照会番号が未登録): links the 照会番号 OQS sent, or, when
    // it sent none, registers one at OQS (docs/medinfo.md, 照会番号登録).
    d.offer_medical_info = d.classification == Classification::Unchanged && current &&
                           current->reference_number().empty();
    return d;
}

}  // namespace onshi::diff
