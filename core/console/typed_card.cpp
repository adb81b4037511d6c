#include "core/console/typed_card.hpp"

#include "core/diff/qualification_diff.hpp"
#include "core/oqs/error.hpp"
#include "core/rules/numbers.hpp"
#include "core/rules/wareki.hpp"

namespace onshi::console {

const char* typed_field_id(TypedField f) {
    switch (f) {
        case TypedField::Insurer: return "insurer";
        case TypedField::Kigo: return "kigo";
        case TypedField::Bango: return "bango";
        case TypedField::Edaban: return "edaban";
        case TypedField::Birth: return "birth";
        case TypedField::KanaName: return "kana";
        case TypedField::KanjiName: return "kanji";
        case TypedField::SwitchDate: return "switch_date";
        case TypedField::ValidFrom: return "valid_from";
        case TypedField::LimitFrom: return "limit_from";
    }
    return "?";
}

std::vector<TypedField> fields_of(TypedPurpose p) {
    using F = TypedField;
    switch (p) {
        case TypedPurpose::Query: return {F::Insurer, F::Kigo, F::Bango, F::Edaban, F::Birth};
        case TypedPurpose::Register:
            return {F::KanaName, F::KanjiName, F::Birth, F::Insurer, F::Kigo, F::Bango, F::Edaban};
        case TypedPurpose::Switch:
            return {F::Insurer, F::Kigo, F::Bango, F::Edaban, F::SwitchDate, F::ValidFrom, F::LimitFrom};
    }
    return {};
}

namespace {

using rules::Note;

bool is_digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

// 記号 and 番号: レセ電's limit is 38 bytes; no full-width space (JP-CLINS).
void check_symbol_text(FieldCheck& c, const std::string& v, const char* what_ja, const char* what_en) {
    if (v.size() > 38)
        c.error = Note{std::string(what_ja) + "が長すぎます（38バイトまで）。", std::string(what_en) + " is over 38 bytes"};
    else if (v.find("\u3000") != std::string::npos)
        c.error = Note{std::string(what_ja) + "に全角スペースは使えません。",
                       std::string(what_en) + " holds a full-width space"};
}

// A date field: required or not; never after `latest` when given.
std::optional<rules::Date> check_date(FieldCheck& c, const std::string& v, bool required, const char* what_ja,
                                      const char* what_en, std::optional<rules::Date> latest = std::nullopt) {
    if (v.empty()) {
        if (required)
            c.error = Note{std::string(what_ja) + "を入力してください。", std::string(what_en) + " is required"};
        return std::nullopt;
    }
    rules::DateParse p = rules::parse_date_text(v);
    c.warnings = p.warnings;
    if (!p.date) {
        c.error = p.error ? *p.error
                          : Note{std::string(what_ja) + "が日付として読めません。",
                                 std::string(what_en) + " is not a date"};
        return std::nullopt;
    }
    if (latest && *p.date > *latest) {
        c.error = Note{std::string(what_ja) + "が未来の日付です。", std::string(what_en) + " is in the future"};
        return std::nullopt;
    }
    return p.date;
}

// 医療扶助: the 保険者番号 field holds the 公費負担者番号 (法別 12) and the 番号 field the 受給者番号.
bool is_medical_aid(const std::string& insurer) {
    auto d = rules::insurer_key(insurer);
    return d.size() == 8 && d.compare(0, 2, "12") == 0;
}

void take(FieldCheck& c, const rules::NumberCheck& r) {
    if (r.error) c.error = r.error;
    for (const auto& w : r.warnings) c.warnings.push_back(w);
}

}  // namespace

TypedCheck check_typed(const TypedForm& form, rules::Date today) {
    using F = TypedField;
    TypedCheck out;
    auto fc = [&](F f) -> FieldCheck& { return out.fields[size_t(f)]; };
    const auto shown = fields_of(form.purpose);
    auto shows = [&](F f) {
        for (F s : shown)
            if (s == f) return true;
        return false;
    };

    const std::string& insurer = form.at(F::Insurer);
    const bool aid = is_medical_aid(insurer);
    if (insurer.empty()) {
        fc(F::Insurer).error = Note{"保険者番号を入力してください。", "保険者番号 is required"};
    } else if (aid) {
        rules::NumberCheck r = rules::check_kouhi_payer(insurer);
        take(fc(F::Insurer), r);
        out.insurer_kind = r.kind;
    } else {
        rules::NumberCheck r = rules::check_insurer(insurer);
        take(fc(F::Insurer), r);
        out.insurer_kind = r.kind;
    }

    check_symbol_text(fc(F::Kigo), form.at(F::Kigo), "被保険者記号", "記号");

    const std::string& bango = form.at(F::Bango);
    if (bango.empty()) {
        fc(F::Bango).error = aid ? Note{"受給者番号を入力してください。", "受給者番号 is required"}
                                 : Note{"被保険者番号を入力してください。", "番号 is required"};
    } else if (aid) {
        take(fc(F::Bango), rules::check_kouhi_recipient(bango));
    } else {
        check_symbol_text(fc(F::Bango), bango, "被保険者番号", "番号");
    }

    const std::string& edaban = form.at(F::Edaban);
    if (!edaban.empty()) {
        if (edaban.size() != 2 || !is_digits(edaban))
            fc(F::Edaban).error = Note{"枝番は2桁の数字で入力してください（例: 01）。", "枝番 must be 2 digits"};
        else if (rules::insurer_key(insurer).compare(0, 2, "39") == 0 || aid)
            fc(F::Edaban).warnings.push_back(Note{"後期高齢者・公費の証には通常、枝番はありません。",
                                                  "後期高齢者 and 公費 cards carry no 枝番"});
    }

    if (shows(F::Birth)) out.birth = check_date(fc(F::Birth), form.at(F::Birth), true, "生年月日", "birth date", today);
    if (shows(F::KanaName) && form.at(F::KanaName).empty())
        fc(F::KanaName).error = Note{"カナ氏名を入力してください。", "カナ氏名 is required"};
    if (shows(F::SwitchDate))
        out.switch_date = check_date(fc(F::SwitchDate), form.at(F::SwitchDate), true, "切替日", "切替日");
    if (shows(F::ValidFrom))
        out.valid_from = check_date(fc(F::ValidFrom), form.at(F::ValidFrom), false, "保険有効開始日", "valid_from");
    if (shows(F::LimitFrom))
        out.limit_from = check_date(fc(F::LimitFrom), form.at(F::LimitFrom), false, "限度額開始日", "limit_from");
    if (shows(F::SwitchDate) && out.switch_date && !fc(F::ValidFrom).error && !fc(F::LimitFrom).error) {
        // The 切替日 dialog's own rules (a 切替日 before the new card's 保険有効開始日 …), in the one place the
        // visit's dialog and make_plan check them too.
        const diff::SwitchDates dates{out.switch_date->iso(), out.valid_from ? out.valid_from->iso() : "",
                                      out.limit_from ? out.limit_from->iso() : ""};
        if (auto problem = diff::switch_dates_problem(dates))
            fc(F::SwitchDate).error = Note{text::ja(*problem), "the 切替日 does not fit the new card's dates"};
    }
    if (shows(F::SwitchDate) && form.karte.empty())
        fc(F::SwitchDate).error = Note{"保険証変更する患者様が選ばれていません。", "no patient to switch cards for"};

    out.ready = true;
    for (F f : shown)
        if (fc(f).error) out.ready = false;
    return out;
}

namespace {

[[noreturn]] void refuse_first_error(const TypedForm& form, const TypedCheck& c) {
    for (TypedField f : fields_of(form.purpose))
        if (const auto& e = c.fields[size_t(f)].error) throw TypedRefused(e->en, e->ja);
    throw TypedRefused("the form is not complete", "入力内容を確認してください。");
}

std::string insurer_digits(const std::string& typed) {
    std::string key = rules::insurer_key(typed);  // a 5 or 7 digit number gets its leading zero back
    return key.empty() ? typed : key;
}

void card_fields(const TypedForm& form, ledger::OverwritePlan& plan) {
    using F = TypedField;
    plan.fields.push_back({ledger::Field::InsurerNumber, insurer_digits(form.at(F::Insurer))});
    if (!form.at(F::Kigo).empty()) plan.fields.push_back({ledger::Field::Kigo, form.at(F::Kigo)});
    plan.fields.push_back({ledger::Field::Bango, form.at(F::Bango)});
    if (!form.at(F::Edaban).empty()) plan.fields.push_back({ledger::Field::Edaban, form.at(F::Edaban)});
}

}  // namespace

oqs::QualificationQuery typed_query(const TypedForm& form, rules::Date today) {
    TypedForm q = form;
    q.purpose = TypedPurpose::Query;
    const TypedCheck c = check_typed(q, today);
    if (!c.ready) refuse_first_error(q, c);
    using F = TypedField;
    try {
        return intake::card_query({insurer_digits(q.at(F::Insurer)), q.at(F::Kigo), q.at(F::Bango), q.at(F::Edaban)},
                                  *c.birth, q.consent, today);
    } catch (const oqs::OqsError& e) {
        throw TypedRefused(std::string("the typed card cannot be sent: ") + e.what(),
                           "入力された保険証の情報では資格確認できません。保険者番号・番号・枝番を確認してください。");
    }
}

ledger::OverwritePlan register_plan(const TypedForm& form, rules::Date today) {
    if (form.purpose != TypedPurpose::Register) throw TypedRefused("not a 新患登録 form", "新患登録の入力ではありません。");
    const TypedCheck c = check_typed(form, today);
    if (!c.ready) refuse_first_error(form, c);
    if (form.sex != "1" && form.sex != "2" && form.sex != "3")
        throw TypedRefused("性別 must be 1, 2 or 3", "性別を選んでください。");
    using F = TypedField;
    ledger::OverwritePlan plan;
    plan.kind = ledger::PlanKind::RegisterPatient;  // karte "" → the next カルテ番号
    plan.fields.push_back({ledger::Field::KanaName, form.at(F::KanaName)});
    if (!form.at(F::KanjiName).empty()) plan.fields.push_back({ledger::Field::KanjiName, form.at(F::KanjiName)});
    plan.fields.push_back({ledger::Field::Sex, form.sex});
    plan.fields.push_back({ledger::Field::Birth, c.birth->iso()});
    card_fields(form, plan);
    return plan;
}

ledger::OverwritePlan switch_plan(const TypedForm& form, rules::Date today) {
    if (form.purpose != TypedPurpose::Switch) throw TypedRefused("not a 保険証変更 form", "保険証変更の入力ではありません。");
    const TypedCheck c = check_typed(form, today);
    if (!c.ready) refuse_first_error(form, c);
    ledger::OverwritePlan plan;
    plan.kind = ledger::PlanKind::SwitchCard;
    plan.karte = form.karte;
    plan.switch_date = c.switch_date->iso();
    card_fields(form, plan);
    // 保険有効開始日: as typed, else the 切替日 (LedgerStore::apply fills it the same way).
    plan.fields.push_back({ledger::Field::ValidFrom, (c.valid_from ? *c.valid_from : *c.switch_date).iso()});
    if (c.limit_from) plan.fields.push_back({ledger::Field::LimitFrom, c.limit_from->iso()});
    return plan;
}

namespace {

size_t max_bytes(TypedField f) {
    switch (f) {
        case TypedField::Insurer: return 8;
        case TypedField::Edaban: return 2;
        case TypedField::Birth:
        case TypedField::SwitchDate:
        case TypedField::ValidFrom:
        case TypedField::LimitFrom: return 8;  // GYYMMDD or YYYYMMDD on the pad
        case TypedField::Kigo:
        case TypedField::Bango: return 38;
        case TypedField::KanaName:
        case TypedField::KanjiName: return 90;  // 30 full-width characters
    }
    return 0;
}

bool digits_only(TypedField f) {
    return f == TypedField::Insurer || f == TypedField::Edaban || f == TypedField::Birth ||
           f == TypedField::SwitchDate || f == TypedField::ValidFrom || f == TypedField::LimitFrom;
}

// Length of the last UTF-8 character of a non-empty string.
size_t last_char_bytes(const std::string& s) {
    size_t n = 1;
    while (n < s.size() && (static_cast<unsigned char>(s[s.size() - n]) & 0xC0) == 0x80) ++n;
    return n;
}

}  // namespace

void type_key(TypedForm& form, TypedField f, std::string_view key) {
    if (key.empty()) return;
    if (digits_only(f) && !is_digits(key)) return;
    std::string& v = form.at(f);
    if (v.size() + key.size() > max_bytes(f)) return;
    v += key;
}

void erase_key(TypedForm& form, TypedField f) {
    std::string& v = form.at(f);
    if (!v.empty()) v.erase(v.size() - last_char_bytes(v));
}

TypedForm form_from_record(const ledger::PatientRecord& r, TypedPurpose purpose) {
    TypedForm f;
    f.purpose = purpose;
    f.karte = r.patient.karte;
    if (purpose == TypedPurpose::Query) {
        if (const ledger::InsuranceCard* c = r.current_card()) {
            f.at(TypedField::Insurer) = c->insurer_number;
            f.at(TypedField::Kigo) = c->kigo;
            f.at(TypedField::Bango) = c->bango;
            f.at(TypedField::Edaban) = c->edaban;
        }
        if (auto b = rules::Date::from_iso(r.patient.birth)) f.at(TypedField::Birth) = b->oqs();
    }
    return f;
}

TypedSent send_typed_query(ledger::LedgerStore& store, oqs::OqsGateway& gateway, const typed_effect::Query& query,
                           const std::string& staff_id) {
    TypedSent sent;
    sent.request = gateway.submit(query.query);
    if (query.karte.empty()) return sent;
    ledger::NewCheck pending;
    pending.karte = query.karte;
    pending.method = ledger::CheckMethod::InsuranceCard;
    pending.status = "processing";
    pending.message = "照会中";
    pending.request = sent.request;
    sent.check_id = store.record_check(pending, staff_id).check_id;
    return sent;
}

namespace {
void fresh(TypedView& v) { v = TypedView(); }  // outside the visitor: g++ 12 trips over it inside
}  // namespace

std::vector<TypedEffect> handle(TypedView& v, const TypedIntent& intent, rules::Date today) {
    std::vector<TypedEffect> fx;
    std::visit(
        [&](const auto& i) {
            using T = std::decay_t<decltype(i)>;
            if constexpr (std::is_same_v<T, typed_in::Open>) {
                fresh(v);
                v.form = i.prefill;
                v.form.purpose = i.purpose;
                v.form.karte = i.karte;
                v.name = i.name;
                v.focus = fields_of(i.purpose).front();
            } else if constexpr (std::is_same_v<T, typed_in::Focus>) {
                v.focus = i.field;
            } else if constexpr (std::is_same_v<T, typed_in::Key>) {
                type_key(v.form, v.focus, i.key);
            } else if constexpr (std::is_same_v<T, typed_in::Erase>) {
                erase_key(v.form, v.focus);
            } else if constexpr (std::is_same_v<T, typed_in::Consent>) {
                v.form.consent = i.consent;
            } else if constexpr (std::is_same_v<T, typed_in::Sex>) {
                if (i.code == "1" || i.code == "2" || i.code == "3") v.form.sex = i.code;
            } else if constexpr (std::is_same_v<T, typed_in::Submit>) {
                if (v.busy) return;
                v.message = {};
                v.refused = false;
                try {
                    switch (v.form.purpose) {
                        case TypedPurpose::Query:
                            fx.push_back(typed_effect::Query{v.form.karte, v.name, typed_query(v.form, today),
                                                             v.form.consent});
                            break;
                        case TypedPurpose::Register: fx.push_back(typed_effect::Apply{register_plan(v.form, today)}); break;
                        case TypedPurpose::Switch: fx.push_back(typed_effect::Apply{switch_plan(v.form, today)}); break;
                    }
                    v.busy = v.form.purpose != TypedPurpose::Query;  // a query leaves the page for 照会中
                } catch (const TypedRefused& e) {
                    v.message = text::verbatim(e.message_ja);
                    v.refused = true;
                }
            } else if constexpr (std::is_same_v<T, typed_in::Written>) {
                v.busy = false;
                v.message = i.message;
                v.refused = !i.ok;
            }
        },
        intent);
    v.check = check_typed(v.form, today);
    return fx;
}

}  // namespace onshi::console
