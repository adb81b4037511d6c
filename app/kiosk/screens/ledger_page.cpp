// 患者原簿: one patient's page of the reception console (core/console/patient_page). The current card and
// 過1, 過2 … with their periods, 公費, 介護, phones, 照会番号, 保険証確認日; actions 単件照会, F4 保険証確認,
// 保険証で資格確認, 保険証変更, 照会番号の削除 / 付け替え (a confirmation naming both patients), phones / 公費 /
// 介護 on touch pads; 履歴: 資格確認履歴 with 詳細, the changes with 取り消し. A dialog replaces the body while
// it is open (one thing at a time on a touch screen). The page only draws and returns intents.
#include <string>

#include "app/kiosk/screens/screens.hpp"
#include "core/console/patient_page.hpp"
#include "core/diff/values.hpp"
#include "core/flow/visit.hpp"
#include "core/intake/column_text.hpp"

namespace onshi::kiosk {
namespace {

using console::PatientDialog;
using console::PatientPage;
using console::PatientTab;
namespace pin = console::page_in;

void send(FrameOutput& out, console::PageIntent i) { out.to_console(console::in::OnPatient{std::move(i)}); }

std::string named(const ledger::Patient& p) {
    return ja(Msg::PatientNamed, -1, -1, p.kanji_name.empty() ? p.kana_name : p.kanji_name, p.karte);
}

std::string shown(ledger::Field f, const std::string& v) {
    return v.empty() ? std::string() : diff::detail::display(f, v);
}

std::string sex_word(const std::string& code) {
    return ja(code == "1" ? Msg::SexMale : code == "2" ? Msg::SexFemale : Msg::SexUnknown);
}

const ImVec2 kAction(200, 56);

bool action_button(Ui& ui, const char* id, Msg label, bool enabled = true, Tone tone = Tone::Normal, bool first = false) {
    ui::flow_next(ui.px(kAction.x), first);
    return ui::button(ui, id, ja(label), ImVec2(ui.px(kAction.x), ui.px(kAction.y)), tone, enabled);
}

void card_block(Ui& ui, const ledger::InsuranceCard& c, size_t index) {
    using ledger::Field;
    const std::string title = index == 0 ? ja(Msg::PatientCurrentCard) : ja(Msg::PatientPastCard, int(index));
    const std::string until = !c.closed_on.empty() ? wareki(c.closed_on) : wareki(c.valid_until);
    ui::text(ui, title + "  " + ja(Msg::PatientPeriod, -1, -1, wareki(c.valid_from), until), ui.fonts.body(),
             index == 0 ? ui::kBlue : ui::kGrey);
    ui::fields(ui, {{ledger::to_japanese(Field::InsurerNumber), c.insurer_number},
                    {ledger::to_japanese(Field::Kigo), c.kigo},
                    {ledger::to_japanese(Field::Bango), c.bango},
                    {ledger::to_japanese(Field::Edaban), c.edaban},
                    {ledger::to_japanese(Field::Relationship), shown(Field::Relationship, c.relationship)},
                    {ledger::to_japanese(Field::InsuredName), c.insured_name},
                    {ledger::to_japanese(Field::Detail), c.detail},
                    {ledger::to_japanese(Field::ValidFrom), wareki(c.valid_from)},
                    {ledger::to_japanese(Field::ValidUntil), wareki(c.valid_until)},
                    {ledger::to_japanese(Field::IssuedOn), wareki(c.issued_on)},
                    {ledger::to_japanese(Field::LimitFrom), wareki(c.limit_from)},
                    {ledger::to_japanese(Field::LimitUntil), wareki(c.limit_until)}});
    if (index == 0)
        ui::text(ui, ja(Msg::PatientCheckedOn, -1, -1, c.card_checked_on.empty() ? "-" : wareki(c.card_checked_on)),
                 ui.fonts.body());
    ImGui::Separator();
}

void ledger_tab(const PatientPage& p, Ui& ui) {
    const ledger::PatientRecord& r = p.data->record;
    const std::string ref = r.reference_number();
    ui::text(ui, ja(Msg::PatientReference, -1, -1, ref.empty() ? ja(Msg::NotRegistered) : ref), ui.fonts.body());
    ImGui::Separator();
    if (r.cards.empty()) ui::text(ui, ja(Msg::PatientNoCard), ui.fonts.body(), ui::kGrey);
    for (size_t i = 0; i < r.cards.size(); ++i) card_block(ui, r.cards[i], r.cards[0].closed_on.empty() ? i : i + 1);

    ui::text(ui, ja(Msg::PatientPhones), ui.fonts.body(), ui::kBlue);
    ui::fields(ui, {{ja(Msg::PhoneHome), r.patient.phones.home},
                    {ja(Msg::PhoneContact), r.patient.phones.contact},
                    {ja(Msg::PhoneMobile), r.patient.phones.mobile}});
    ImGui::Separator();

    ui::text(ui, ja(Msg::PatientKouhi), ui.fonts.body(), ui::kBlue);
    if (r.kouhi.empty()) ui::text(ui, ja(Msg::PatientNone), ui.fonts.body(), ui::kGrey);
    for (const auto& k : r.kouhi)
        ui::fields(ui, {{ja(Msg::KouhiPayer), k.futansha_number},
                        {ja(Msg::KouhiRecipient), k.jukyusha_number},
                        {ja(Msg::EntryValidFrom), wareki(k.valid_from)},
                        {ja(Msg::EntryValidUntil), wareki(k.valid_until)}});
    ImGui::Separator();

    ui::text(ui, ja(Msg::PatientKaigo), ui.fonts.body(), ui::kBlue);
    if (r.kaigo.empty()) ui::text(ui, ja(Msg::PatientNone), ui.fonts.body(), ui::kGrey);
    for (const auto& k : r.kaigo)
        ui::fields(ui, {{ja(Msg::KaigoInsurer), k.insurer_number},
                        {ja(Msg::KaigoInsured), k.insured_number},
                        {ja(Msg::KaigoLevel), k.care_level},
                        {ja(Msg::EntryValidFrom), wareki(k.valid_from)},
                        {ja(Msg::EntryValidUntil), wareki(k.valid_until)}});
}

void checks_tab(const PatientPage& p, FrameOutput& out, Ui& ui) {
    const ImVec2 small(ui.px(140), ui.px(52));
    if (p.data->checks.empty()) ui::text(ui, ja(Msg::HistoryEmpty), ui.fonts.body(), ui::kGrey);
    for (const auto& c : p.data->checks) {
        const float y = ImGui::GetCursorPosY();
        const std::string reason = flow::visual_reason_ja(c.visual_reason);
        if (reason.empty()) ImGui::SetCursorPosY(y + ui.px(10));
        ui::text(ui, std::string(ledger::to_japanese(c.method)) + "  " + intake::column_text(c), ui.fonts.body());
        // 目視確認: why (an auditor's question; a PIN lock is reset at the 市区町村 窓口).
        if (!reason.empty()) ui::text(ui, ja(Msg::VisualReasonShown, -1, -1, reason), ui.fonts.body(), ui::kGrey);
        const float next = std::max(y + small.y, ImGui::GetCursorPosY());
        ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - small.x, y));
        const std::string id = "detail-" + std::to_string(c.id);
        if (ui::button(ui, id.c_str(), ja(Msg::BtnDetail), small)) send(out, pin::ShowDetail{c.id});
        ImGui::SetCursorPosY(next + ui.px(6));
    }
}

// The patient's changes, newest first: 取り消し on each (the ledger refuses when a later change depends on it).
void changes_tab(const PatientPage& p, FrameOutput& out, Ui& ui) {
    const ImVec2 small(ui.px(140), ui.px(52));
    if (p.data->audit.empty()) ui::text(ui, ja(Msg::HistoryEmpty), ui.fonts.body(), ui::kGrey);
    for (const auto& a : p.data->audit) {
        const float y = ImGui::GetCursorPosY();
        ImGui::SetCursorPosY(y + ui.px(10));
        const std::string when = a.at.size() >= 16 ? wareki(a.at.substr(0, 10)) + " " + a.at.substr(11, 5) : a.at;
        ui::text(ui, when + "  " + a.summary + "  (" + a.staff_id + ")", ui.fonts.body(),
                 a.undone_by ? ui::kGrey : 0);
        ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - small.x, y));
        const std::string id = "undo-" + std::to_string(a.id);
        if (a.undone_by)
            ui::text(ui, ja(Msg::HistoryUndone), ui.fonts.body(), ui::kGrey);
        else if (ui::button(ui, id.c_str(), ja(Msg::BtnUndo), small, Tone::Normal, !p.busy))
            send(out, pin::AskUndo{a.id});
        ImGui::SetCursorPosY(y + small.y + ui.px(6));
    }
}

// The digit pad of the dialogs (phones take "-" too; 介護's 要介護度 box takes a level).
void pad(const PatientPage& p, FrameOutput& out, Ui& ui) {
    const ImVec2 key(ui.px(84), ui.px(64));
    if (p.dialog == PatientDialog::Kaigo && p.focus == 2) {
        const auto& levels = console::care_levels();
        for (size_t i = 0; i < levels.size(); ++i) {
            ui::flow_next(ui.px(130), i == 0);
            const std::string id = "care:" + levels[i];
            if (ui::button(ui, id.c_str(), levels[i], ImVec2(ui.px(130), key.y),
                           p.form[2] == levels[i] ? Tone::Primary : Tone::Normal))
                send(out, pin::Key{levels[i]});
        }
        return;
    }
    static constexpr const char* kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "-", "0", "erase"};
    for (size_t i = 0; i < std::size(kKeys); ++i) {
        if (i % 3) ImGui::SameLine(0, ui.px(6));
        const std::string k = kKeys[i];
        const std::string id = "pad:" + k;
        if (k == "erase") {
            if (ui::button(ui, id.c_str(), ja(Msg::PadClear), key)) send(out, pin::Erase{});
        } else if (ui::button(ui, id.c_str(), k, key, Tone::Normal, k != "-" || p.dialog == PatientDialog::Phones)) {
            send(out, pin::Key{k});
        }
    }
}

void ok_cancel(const PatientPage& p, FrameOutput& out, Ui& ui, Msg ok = Msg::BtnOk) {
    const ImVec2 size(ui.px(220), ui.px(64));
    if (ui::button(ui, "dialog:ok", ja(ok), size, Tone::Primary, !p.busy)) send(out, pin::Confirm{});
    ImGui::SameLine(0, ui.px(16));
    if (ui::button(ui, "dialog:cancel", ja(Msg::Cancel), size, Tone::Quiet)) send(out, pin::Dismiss{});
}

void form_dialog(const PatientPage& p, FrameOutput& out, Ui& ui) {
    const auto& labels = console::form_labels(p.dialog);
    ImGui::BeginGroup();
    for (size_t i = 0; i < labels.size() && i < p.form.size(); ++i) {
        const std::string id = "box:" + std::to_string(i);
        const std::string label = ja(labels[i]) + "：" + p.form[i];
        if (ui::button(ui, id.c_str(), label, ImVec2(ui.px(560), ui.px(56)), i == p.focus ? Tone::Primary : Tone::Normal))
            send(out, pin::Focus{i});
    }
    if (p.dialog == PatientDialog::Kouhi || p.dialog == PatientDialog::Kaigo)
        ui::text_wrapped(ui, ja(Msg::DateEntryHint), ui.fonts.body(), ui::kGrey);
    for (const auto& n : p.form_notes) ui::text_wrapped(ui, n.ja, ui.fonts.body(), IM_COL32(200, 110, 0, 255));
    ok_cancel(p, out, ui);
    ImGui::EndGroup();
    ImGui::SameLine(0, ui.px(32));
    ImGui::BeginGroup();
    pad(p, out, ui);
    ImGui::EndGroup();
}

void detail_dialog(const PatientPage& p, FrameOutput& out, Ui& ui) {
    ui::text(ui, ja(Msg::DetailTitle), ui.fonts.title());
    if (!p.detail) {
        if (!p.refused) ui::text(ui, ja(Msg::PatientLoading), ui.fonts.body(), ui::kGrey);
    } else {
        const console::CheckDetail& d = *p.detail;
        ui::text(ui, ja(Msg::DetailMethod, -1, -1, ledger::to_japanese(d.check.method)) + "  " +
                         intake::column_text(d.check),
                 ui.fonts.body());
        if (const std::string reason = flow::visual_reason_ja(d.check.visual_reason); !reason.empty())
            ui::text_wrapped(ui, ja(Msg::VisualReasonShown, -1, -1, reason), ui.fonts.body());
        ui::text(ui, ja(Msg::PatientReference, -1, -1, d.reference_number.empty() ? "-" : d.reference_number),
                 ui.fonts.body());
        if (d.has_answer) {
            ui::text(ui, ja(Msg::DetailConsents), ui.fonts.body(), ui::kBlue);
            std::vector<ui::Field> consents;
            const auto& qs = flow::consent_questions();
            for (size_t i = 0; i < qs.size() && i < d.consents.size(); ++i)
                consents.push_back({ja(qs[i].title), ja(!d.consents[i]   ? Msg::ConsentNotAnswered
                                                        : *d.consents[i] ? Msg::ConsentGiven
                                                                         : Msg::ConsentRefused)});
            ui::fields(ui, consents);
            ui::text(ui, ja(Msg::DetailCard), ui.fonts.body(), ui::kBlue);
            std::vector<ui::Field> card;
            for (const auto& row : d.card) card.push_back({ledger::to_japanese(row.field), row.value});
            ui::fields(ui, card);
        } else {
            ui::text_wrapped(ui, ja(Msg::PatientNoDetail), ui.fonts.body(), ui::kGrey);
        }
        std::string recorded;
        for (const auto& c : d.recorded)
            recorded += (recorded.empty() ? "" : "、") + c.kind + (c.value == "1" ? "：同意" : "：不同意");
        if (!recorded.empty()) ui::text_wrapped(ui, ja(Msg::DetailRecorded, -1, -1, recorded), ui.fonts.body());
    }
    if (ui::button(ui, "dialog:cancel", ja(Msg::Close), ImVec2(ui.px(220), ui.px(64)), Tone::Quiet))
        send(out, pin::Dismiss{});
}

void dialog(const PatientPage& p, FrameOutput& out, Ui& ui) {
    const ledger::Patient& me = p.data->record.patient;
    const std::string name = me.kanji_name.empty() ? me.kana_name : me.kanji_name;
    switch (p.dialog) {
        case PatientDialog::ConfirmCard:
            ui::text_wrapped(ui, ja(Msg::ConfirmCardQuestion, -1, -1, name), ui.fonts.title());
            ok_cancel(p, out, ui);
            break;
        case PatientDialog::Unlink:
            ui::text_wrapped(ui, ja(Msg::UnlinkQuestion, -1, -1, name, p.data->record.reference_number()),
                             ui.fonts.title());
            ok_cancel(p, out, ui);
            break;
        case PatientDialog::RelinkTarget:
            ui::text_wrapped(ui, ja(Msg::RelinkTargetPrompt, -1, -1, p.relink_number), ui.fonts.body());
            form_dialog(p, out, ui);
            break;
        case PatientDialog::RelinkConfirm: {
            ui::text_wrapped(ui, ja(Msg::RelinkQuestion, -1, -1, p.relink_number), ui.fonts.title());
            const bool holds = p.data->record.reference_number() == p.relink_number;
            ui::text(ui, holds ? ja(Msg::RelinkFrom, -1, -1, named(me)) : ja(Msg::RelinkFromNobody), ui.fonts.body());
            if (p.relink_target) ui::text(ui, ja(Msg::RelinkTo, -1, -1, named(*p.relink_target)), ui.fonts.body(), ui::kBlue);
            ok_cancel(p, out, ui);
            break;
        }
        case PatientDialog::Phones:
        case PatientDialog::Kouhi:
        case PatientDialog::Kaigo: form_dialog(p, out, ui); break;
        case PatientDialog::Detail: detail_dialog(p, out, ui); break;
        case PatientDialog::Undo:
            ui::text_wrapped(ui, ja(Msg::UndoQuestion), ui.fonts.title());
            ui::text_wrapped(ui, p.undo_summary, ui.fonts.body());
            ok_cancel(p, out, ui);
            break;
        case PatientDialog::None: break;
    }
}

}  // namespace

void draw_console_patient(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const PatientPage& p = view.console->patient;
    if (!p.message.empty())
        ui::text_wrapped(ui, ja(p.message), ui.fonts.body(), p.refused ? ui::kRed : ui::kBlue);
    if (!p.data) {
        if (p.loading) ui::text(ui, ja(Msg::PatientLoading), ui.fonts.body(), ui::kGrey);
        return;
    }
    const ledger::Patient& me = p.data->record.patient;
    ui::text(ui,
             ja(Msg::KarteNumber) + " " + me.karte + "   " + me.kanji_name + "（" + me.kana_name + "）  " +
                 sex_word(me.sex) + "  " + wareki(me.birth),
             ui.fonts.title());
    if (p.dialog != PatientDialog::None) {
        ImGui::Separator();
        dialog(p, out, ui);
        return;
    }
    const bool has_ref = !p.data->record.reference_number().empty();
    using console::TypedPurpose;
    if (action_button(ui, "patient:query", Msg::ConsoleSingleQuery, true, Tone::Primary, true)) send(out, pin::Query{});
    if (action_button(ui, "patient:confirm-card", Msg::BtnConfirmCard, !p.busy && p.data->record.current_card()))
        send(out, pin::AskConfirmCard{});
    if (action_button(ui, "patient:typed", Msg::BtnTypedCard))
        out.to_console(console::in::OpenTyped{TypedPurpose::Query, me.karte});
    if (action_button(ui, "patient:switch", Msg::BtnSwitchCard))
        out.to_console(console::in::OpenTyped{TypedPurpose::Switch, me.karte});
    if (action_button(ui, "patient:unlink", Msg::BtnUnlink, !p.busy && has_ref)) send(out, pin::AskUnlink{});
    if (action_button(ui, "patient:relink", Msg::BtnRelink, !p.busy && !p.movable_reference().empty()))
        send(out, pin::AskRelink{});
    // Second row: the typed entries, then the three views of the body.
    if (action_button(ui, "patient:phones", Msg::BtnEditPhones, !p.busy, Tone::Normal, true)) send(out, pin::EditPhones{});
    if (action_button(ui, "patient:kouhi", Msg::BtnAddKouhi, !p.busy)) send(out, pin::EditKouhi{});
    if (action_button(ui, "patient:kaigo", Msg::BtnAddKaigo, !p.busy)) send(out, pin::EditKaigo{});
    if (action_button(ui, "patient:medinfo", Msg::TitleMedinfo)) out.to_console(console::in::OpenMedinfo{me.karte});
    const std::pair<PatientTab, std::pair<const char*, Msg>> tabs[] = {
        {PatientTab::Ledger, {"patient:tab-ledger", Msg::PatientTabLedger}},
        {PatientTab::Checks, {"patient:tab-checks", Msg::HistoryChecks}},
        {PatientTab::Changes, {"patient:tab-changes", Msg::HistoryChanges}}};
    for (const auto& [tab, t] : tabs)
        if (action_button(ui, t.first, t.second, true, p.tab == tab ? Tone::Primary : Tone::Quiet))
            send(out, pin::ShowTab{tab});
    ImGui::Separator();
    ImGui::BeginChild("##patient-body", ImVec2(0, 0));
    switch (p.tab) {
        case PatientTab::Ledger: ledger_tab(p, ui); break;
        case PatientTab::Checks: checks_tab(p, out, ui); break;
        case PatientTab::Changes: changes_tab(p, out, ui); break;
    }
    ImGui::EndChild();
}

}  // namespace onshi::kiosk
