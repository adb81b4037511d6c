#include "core/console/patient_page.hpp"

#include "core/diff/values.hpp"
#include "core/flow/visit.hpp"
#include "core/ledger/error.hpp"
#include "core/oqs/error.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"
#include "core/rules/numbers.hpp"
#include "core/rules/wareki.hpp"
#include "core/util/log.hpp"

namespace onshi::console {

using text::Msg;
using text::msg;

std::string PatientPage::movable_reference() const {
    if (!data) return "";
    const std::string active = data->record.reference_number();
    if (!active.empty()) return active;
    return data->record.links.empty() ? "" : data->record.links.front().reference_number;
}

const std::vector<text::Msg>& form_labels(PatientDialog d) {
    static const std::vector<Msg> phones = {Msg::PhoneHome, Msg::PhoneContact, Msg::PhoneMobile};
    static const std::vector<Msg> kouhi = {Msg::KouhiPayer, Msg::KouhiRecipient, Msg::EntryValidFrom,
                                           Msg::EntryValidUntil};
    static const std::vector<Msg> kaigo = {Msg::KaigoInsurer, Msg::KaigoInsured, Msg::KaigoLevel, Msg::EntryValidFrom,
                                           Msg::EntryValidUntil};
    static const std::vector<Msg> target = {Msg::KarteNumber};
    static const std::vector<Msg> none;
    switch (d) {
        case PatientDialog::Phones: return phones;
        case PatientDialog::Kouhi: return kouhi;
        case PatientDialog::Kaigo: return kaigo;
        case PatientDialog::RelinkTarget: return target;
        default: return none;
    }
}

const std::vector<std::string>& care_levels() {
    static const std::vector<std::string> levels = {"要支援1", "要支援2", "要介護1", "要介護2",
                                                    "要介護3", "要介護4", "要介護5"};
    return levels;
}

const char* op_name(PageOp::Kind k) {
    switch (k) {
        case PageOp::Kind::ConfirmCard: return "confirm_card";
        case PageOp::Kind::Unlink: return "unlink";
        case PageOp::Kind::Relink: return "relink";
        case PageOp::Kind::Phones: return "phones";
        case PageOp::Kind::Kouhi: return "kouhi";
        case PageOp::Kind::Kaigo: return "kaigo";
        case PageOp::Kind::Undo: return "undo";
    }
    return "?";
}

const char* page_intent_name(const PageIntent& i) {
    static constexpr const char* names[] = {"open",     "show_tab",    "query",    "ask_confirm_card", "ask_unlink",
                                            "ask_relink", "edit_phones", "edit_kouhi", "edit_kaigo",     "show_detail",
                                            "ask_undo", "focus",       "key",      "erase",            "confirm",
                                            "dismiss",  "loaded",      "looked_up", "detail_ready",    "written"};
    static_assert(std::size(names) == std::variant_size_v<PageIntent>);
    return names[i.index()];
}

// ---- reading ----

PatientData load_patient(const ledger::LedgerStore& store, const std::string& karte) {
    auto r = store.patient(karte);
    if (!r)
        throw ledger::LedgerError(ledger::ErrorCode::NotFound, "no patient with カルテ番号 " + karte,
                                  text::ja(Msg::PatientNotFound, -1, -1, karte));
    PatientData d;
    d.record = std::move(*r);
    ledger::HistoryQuery q;
    q.karte = karte;
    d.checks = store.history(q, 200).rows;
    d.audit = store.audit_log(karte, 200);
    return d;
}

CheckDetail check_detail(const ledger::QualificationCheck& check, const std::vector<ledger::Consent>& all) {
    CheckDetail d;
    d.check = check;
    d.check.raw_xml.clear();
    for (const auto& c : all)
        if (c.check_id == check.id) d.recorded.push_back(c);
    if (check.raw_xml.empty()) return d;
    oqs::DecodeOptions opt;
    opt.check_character_code = false;  // stored as UTF-8 whatever the terminal sent
    std::optional<oqs::QualificationResult> result;
    for (oqs::MessageKind kind : {oqs::MessageKind::Siquc01Res, oqs::MessageKind::Face}) {
        try {
            result = oqs::qualification_result(oqs::parse_message(check.raw_xml, kind, opt));
            break;
        } catch (const oqs::OqsError&) {
        }
    }
    if (!result || result->records.empty()) {
        if (!result) log::warn("console", "check " + std::to_string(check.id) + ": the stored answer cannot be read");
        return d;
    }
    const oqs::QualificationRecord& rec = result->records.front();
    d.has_answer = true;
    d.reference_number = rec.reference_number.value_or("");
    d.consents = flow::consents_of(rec);
    for (int i = 0; i < ledger::kFieldCount; ++i) {
        const auto f = ledger::Field(i);
        const auto v = diff::detail::online_value(rec, f);
        d.card.push_back({f, v.value.empty() ? v.raw : diff::detail::display(f, v.value)});
    }
    return d;
}

// ---- the page ----

namespace {

bool writing_dialog(PatientDialog d) {
    return d == PatientDialog::ConfirmCard || d == PatientDialog::Unlink || d == PatientDialog::RelinkConfirm ||
           d == PatientDialog::Phones || d == PatientDialog::Kouhi || d == PatientDialog::Kaigo ||
           d == PatientDialog::Undo;
}

void open_dialog(PatientPage& p, PatientDialog d) {
    p.dialog = d;
    p.form.assign(form_labels(d).size(), "");
    p.focus = 0;
    p.form_notes.clear();
    p.message = {};
    p.refused = false;
}

void refuse(PatientPage& p, text::Message m) {
    p.message = std::move(m);
    p.refused = true;
}

bool digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// A date box of the 公費 / 介護 dialogs: "" stays "", anything else must be a real day (和暦 or 西暦).
bool date_box(PatientPage& p, std::string& out, const std::string& typed) {
    if (typed.empty()) return true;
    rules::DateParse d = rules::parse_date_text(typed);
    if (!d.date) {
        refuse(p, text::verbatim(d.error ? d.error->ja : "日付が正しくありません。"));
        return false;
    }
    for (const auto& w : d.warnings) p.form_notes.push_back(w);
    out = d.date->iso();
    return true;
}

// The op the open dialog writes, or nullopt with the reason on the page.
std::optional<PageOp> op_of_dialog(PatientPage& p) {
    PageOp op;
    op.karte = p.karte;
    const auto& f = p.form;
    switch (p.dialog) {
        case PatientDialog::ConfirmCard: op.kind = PageOp::Kind::ConfirmCard; return op;
        case PatientDialog::Unlink: op.kind = PageOp::Kind::Unlink; return op;
        case PatientDialog::RelinkConfirm:
            op.kind = PageOp::Kind::Relink;
            op.reference_number = p.relink_number;
            op.target = p.relink_target ? p.relink_target->karte : "";
            return op;
        case PatientDialog::Undo:
            op.kind = PageOp::Kind::Undo;
            op.audit_id = p.undo_id;
            return op;
        case PatientDialog::Phones:
            if (f[0].empty() && f[1].empty() && f[2].empty()) {
                refuse(p, msg(Msg::PatientNothingTyped));
                return std::nullopt;
            }
            op.kind = PageOp::Kind::Phones;
            op.phones = {f[0], f[1], f[2]};
            return op;
        case PatientDialog::Kouhi: {
            p.form_notes.clear();
            op.kind = PageOp::Kind::Kouhi;
            op.kouhi.futansha_number = f[0];
            op.kouhi.jukyusha_number = f[1];
            if (!f[0].empty()) {
                auto c = rules::check_kouhi_payer(f[0]);
                if (c.error) return refuse(p, text::verbatim(c.error->ja)), std::nullopt;
                p.form_notes.insert(p.form_notes.end(), c.warnings.begin(), c.warnings.end());
                op.kouhi.futansha_number = c.normalized.empty() ? f[0] : c.normalized;
            }
            if (!f[1].empty()) {  // 地単 受給者番号 do not always follow the rule: warnings only
                auto c = rules::check_kouhi_recipient(f[1]);
                if (c.error) p.form_notes.push_back(*c.error);
                p.form_notes.insert(p.form_notes.end(), c.warnings.begin(), c.warnings.end());
            }
            if (!date_box(p, op.kouhi.valid_from, f[2]) || !date_box(p, op.kouhi.valid_until, f[3])) return std::nullopt;
            return op;  // a missing 公費負担者番号 is the ledger's refusal, shown as it words it
        }
        case PatientDialog::Kaigo:
            p.form_notes.clear();
            op.kind = PageOp::Kind::Kaigo;
            op.kaigo.insurer_number = f[0];
            op.kaigo.insured_number = f[1];
            op.kaigo.care_level = f[2];
            if (!date_box(p, op.kaigo.valid_from, f[3]) || !date_box(p, op.kaigo.valid_until, f[4])) return std::nullopt;
            return op;
        default: return std::nullopt;
    }
}

// The box accepts: digits everywhere; "-" in phones; a care level (whole) in the 介護 dialog's third box.
void type_into(PatientPage& p, const std::string& key) {
    if (p.focus >= p.form.size()) return;
    std::string& box = p.form[p.focus];
    if (p.dialog == PatientDialog::Kaigo && p.focus == 2) {
        for (const auto& level : care_levels())
            if (key == level) box = key;
        return;
    }
    const bool ok = digits(key) || (key == "-" && p.dialog == PatientDialog::Phones);
    if (ok && box.size() + key.size() <= 20) box += key;
}

std::vector<PageEffect> none() { return {}; }

}  // namespace

std::vector<PageEffect> handle(PatientPage& p, const PageIntent& intent) {
    return std::visit(
        [&](const auto& i) -> std::vector<PageEffect> {
            using T = std::decay_t<decltype(i)>;
            if constexpr (std::is_same_v<T, page_in::Open>) {
                const bool same = p.karte == i.karte;
                if (!same) p = PatientPage{};
                p.karte = i.karte;
                p.loading = true;
                p.dialog = PatientDialog::None;
                if (!same) p.tab = PatientTab::Ledger;
                return {page_effect::Load{i.karte}};
            } else if constexpr (std::is_same_v<T, page_in::ShowTab>) {
                p.tab = i.tab;
                return none();
            } else if constexpr (std::is_same_v<T, page_in::Query>) {
                if (!p.data) return none();
                return {page_effect::Query{p.karte}};
            } else if constexpr (std::is_same_v<T, page_in::AskConfirmCard>) {
                if (!p.data || p.busy) return none();
                if (!p.data->record.current_card()) return refuse(p, msg(Msg::PatientNoCard)), none();
                open_dialog(p, PatientDialog::ConfirmCard);
                return none();
            } else if constexpr (std::is_same_v<T, page_in::AskUnlink>) {
                if (!p.data || p.busy) return none();
                if (p.data->record.reference_number().empty()) return refuse(p, msg(Msg::PatientNoReference)), none();
                open_dialog(p, PatientDialog::Unlink);
                return none();
            } else if constexpr (std::is_same_v<T, page_in::AskRelink>) {
                if (!p.data || p.busy) return none();
                const std::string number = p.movable_reference();
                if (number.empty()) return refuse(p, msg(Msg::PatientNoReference)), none();
                open_dialog(p, PatientDialog::RelinkTarget);
                p.relink_number = number;
                p.relink_target.reset();
                return none();
            } else if constexpr (std::is_same_v<T, page_in::EditPhones>) {
                if (!p.data || p.busy) return none();
                open_dialog(p, PatientDialog::Phones);
                const auto& ph = p.data->record.patient.phones;
                p.form = {ph.home, ph.contact, ph.mobile};
                return none();
            } else if constexpr (std::is_same_v<T, page_in::EditKouhi>) {
                if (!p.data || p.busy) return none();
                open_dialog(p, PatientDialog::Kouhi);
                return none();
            } else if constexpr (std::is_same_v<T, page_in::EditKaigo>) {
                if (!p.data || p.busy) return none();
                open_dialog(p, PatientDialog::Kaigo);
                return none();
            } else if constexpr (std::is_same_v<T, page_in::ShowDetail>) {
                open_dialog(p, PatientDialog::Detail);
                p.detail.reset();
                return {page_effect::Detail{i.check_id}};
            } else if constexpr (std::is_same_v<T, page_in::AskUndo>) {
                if (!p.data || p.busy) return none();
                for (const auto& a : p.data->audit)
                    if (a.id == i.audit_id) {
                        open_dialog(p, PatientDialog::Undo);
                        p.undo_id = a.id;
                        p.undo_summary = a.at + "  " + a.summary;
                    }
                return none();
            } else if constexpr (std::is_same_v<T, page_in::Focus>) {
                if (i.index < p.form.size()) p.focus = i.index;
                return none();
            } else if constexpr (std::is_same_v<T, page_in::Key>) {
                type_into(p, i.key);
                return none();
            } else if constexpr (std::is_same_v<T, page_in::Erase>) {
                if (p.focus < p.form.size()) {
                    std::string& box = p.form[p.focus];
                    if (p.dialog == PatientDialog::Kaigo && p.focus == 2)
                        box.clear();
                    else if (!box.empty())
                        box.pop_back();
                }
                return none();
            } else if constexpr (std::is_same_v<T, page_in::Confirm>) {
                if (p.busy) return refuse(p, msg(Msg::PatientBusy)), none();
                if (p.dialog == PatientDialog::RelinkTarget) {
                    const std::string target = p.form.empty() ? "" : p.form[0];
                    if (target.empty()) return refuse(p, msg(Msg::PatientRelinkNoTarget)), none();
                    if (target == p.karte) return refuse(p, msg(Msg::PatientRelinkSame)), none();
                    p.message = {};
                    p.refused = false;
                    return {page_effect::Lookup{target}};
                }
                if (!writing_dialog(p.dialog)) {
                    p.dialog = PatientDialog::None;
                    return none();
                }
                auto op = op_of_dialog(p);
                if (!op) return none();
                p.busy = true;
                p.message = {};
                p.refused = false;
                return {page_effect::Write{*op}};
            } else if constexpr (std::is_same_v<T, page_in::Dismiss>) {
                p.dialog = PatientDialog::None;
                p.detail.reset();
                p.form.clear();
                p.form_notes.clear();
                return none();
            } else if constexpr (std::is_same_v<T, page_in::Loaded>) {
                if (i.karte != p.karte) return none();  // another patient was opened meanwhile
                p.loading = false;
                p.data = i.data;
                if (!i.data) refuse(p, i.message.empty() ? msg(Msg::PatientNotFound, -1, -1, i.karte) : i.message);
                return none();
            } else if constexpr (std::is_same_v<T, page_in::LookedUp>) {
                if (p.dialog != PatientDialog::RelinkTarget || p.form.empty() || p.form[0] != i.karte) return none();
                if (!i.patient) return refuse(p, msg(Msg::PatientNotFound, -1, -1, i.karte)), none();
                p.dialog = PatientDialog::RelinkConfirm;
                p.relink_target = i.patient;
                return none();
            } else if constexpr (std::is_same_v<T, page_in::DetailReady>) {
                if (p.dialog != PatientDialog::Detail) return none();
                p.detail = i.detail;
                if (!i.detail) refuse(p, msg(Msg::PatientNoDetail));
                return none();
            } else if constexpr (std::is_same_v<T, page_in::Written>) {
                p.busy = false;
                if (i.data && i.op.karte == p.karte) p.data = i.data;
                p.message = i.message;
                p.refused = !i.ok;
                if (i.ok) {
                    p.dialog = PatientDialog::None;
                    p.form.clear();
                }
                return none();
            }
            return none();
        },
        intent);
}

// ---- the host's side ----

namespace {

text::Message done_message(const PageOp& op) {
    switch (op.kind) {
        case PageOp::Kind::ConfirmCard: return msg(Msg::PatientCardConfirmed);
        case PageOp::Kind::Unlink: return msg(Msg::PatientUnlinked);
        case PageOp::Kind::Relink: return msg(Msg::PatientRelinked, -1, -1, op.reference_number, op.target);
        case PageOp::Kind::Phones: return msg(Msg::PatientPhonesSaved);
        case PageOp::Kind::Kouhi: return msg(Msg::PatientKouhiAdded);
        case PageOp::Kind::Kaigo: return msg(Msg::PatientKaigoAdded);
        case PageOp::Kind::Undo: return msg(Msg::PatientUndone);
    }
    return {};
}

int64_t write(ledger::LedgerStore& store, const PageOp& op, const std::string& staff) {
    switch (op.kind) {
        case PageOp::Kind::ConfirmCard: return store.confirm_card(op.karte, "", staff);  // "" = today
        case PageOp::Kind::Unlink: return store.unlink_reference(op.karte, staff);
        case PageOp::Kind::Relink: return store.relink_reference(op.reference_number, op.target, staff);
        case PageOp::Kind::Phones: return store.set_phones(op.karte, op.phones, staff);
        case PageOp::Kind::Kouhi: return store.add_kouhi(op.karte, op.kouhi, staff);
        case PageOp::Kind::Kaigo: return store.add_kaigo(op.karte, op.kaigo, staff);
        case PageOp::Kind::Undo: return store.undo(op.audit_id, staff);
    }
    return 0;
}

}  // namespace

std::optional<PageIntent> run_page_effect(ledger::LedgerStore& store, const PageEffect& effect,
                                          const std::string& staff_id) {
    return std::visit(
        [&](const auto& e) -> std::optional<PageIntent> {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, page_effect::Load>) {
                page_in::Loaded out;
                out.karte = e.karte;
                try {
                    out.data = load_patient(store, e.karte);
                } catch (const ledger::LedgerError& err) {
                    out.message = text::verbatim(err.message_ja);
                }
                return out;
            } else if constexpr (std::is_same_v<T, page_effect::Lookup>) {
                page_in::LookedUp out;
                out.karte = e.karte;
                if (auto r = store.patient(e.karte)) out.patient = r->patient;
                return out;
            } else if constexpr (std::is_same_v<T, page_effect::Detail>) {
                page_in::DetailReady out;
                if (auto c = store.check(e.check_id)) {
                    auto r = store.patient(c->karte);
                    out.detail = check_detail(*c, r ? r->consents : std::vector<ledger::Consent>{});
                }
                return out;
            } else if constexpr (std::is_same_v<T, page_effect::Write>) {
                page_in::Written out;
                out.op = e.op;
                try {
                    out.audit_id = write(store, e.op, staff_id);
                    out.ok = true;
                    out.message = done_message(e.op);
                    log::info("console", std::string("patient page ") + op_name(e.op.kind) + " karte " + e.op.karte +
                                             ": audit " + std::to_string(out.audit_id));
                } catch (const ledger::LedgerError& err) {
                    log::warn("console", std::string("patient page ") + op_name(e.op.kind) + " refused: " + err.what());
                    out.message = text::verbatim(err.message_ja);
                } catch (const std::exception& err) {
                    log::error("console", std::string("patient page ") + op_name(e.op.kind) + " failed: " + err.what());
                    out.message = msg(Msg::PatientWriteFailed, -1, -1, err.what());
                }
                try {
                    out.data = load_patient(store, e.op.karte);
                } catch (const std::exception&) {
                    // the page keeps what it showed; the message says what happened
                }
                return out;
            } else {
                return std::nullopt;  // Query: the console's path
            }
        },
        effect);
}

}  // namespace onshi::console
