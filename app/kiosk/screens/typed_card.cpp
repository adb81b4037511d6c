// 保険証・資格確認書で資格確認 (typed), and the typed 新患登録 / 保険証変更 of a patient without a usable
// マイナ保険証 (core/console/typed_card). Left: the boxes in the manual's order, each with what the rules say
// about it as staff type (red: must be fixed; orange: a warning that never blocks); right: the pad for the
// box in focus (digits; katakana for カナ氏名). The page only draws and returns intents.
#include <algorithm>
#include <string>

#include "app/kiosk/screens/screens.hpp"
#include "core/console/typed_card.hpp"
#include "core/ledger/overwrite_plan.hpp"
#include "core/rules/wareki.hpp"

namespace onshi::kiosk {
namespace {

using console::TypedField;
using console::TypedPurpose;
using console::TypedView;
namespace tin = console::typed_in;

void send(FrameOutput& out, console::TypedIntent i) { out.to_console(console::in::OnTyped{std::move(i)}); }

constexpr ImU32 kOrange = IM_COL32(200, 110, 0, 255);

bool aid(const TypedView& v) { return v.check.insurer_kind.rfind("公費(12", 0) == 0; }

std::string label_of(const TypedView& v, TypedField f) {
    using ledger::Field;
    switch (f) {
        case TypedField::Insurer: return aid(v) ? ja(Msg::KouhiPayer) : ledger::to_japanese(Field::InsurerNumber);
        case TypedField::Kigo: return ledger::to_japanese(Field::Kigo);
        case TypedField::Bango: return aid(v) ? ja(Msg::KouhiRecipient) : ledger::to_japanese(Field::Bango);
        case TypedField::Edaban: return ledger::to_japanese(Field::Edaban);
        case TypedField::Birth: return ledger::to_japanese(Field::Birth);
        case TypedField::KanaName: return ledger::to_japanese(Field::KanaName);
        case TypedField::KanjiName: return ledger::to_japanese(Field::KanjiName);
        case TypedField::SwitchDate: return ja(Msg::TypedSwitchDate);
        case TypedField::ValidFrom: return ledger::to_japanese(Field::ValidFrom);
        case TypedField::LimitFrom: return ledger::to_japanese(Field::LimitFrom);
    }
    return "";
}

bool is_date(TypedField f) {
    return f == TypedField::Birth || f == TypedField::SwitchDate || f == TypedField::ValidFrom ||
           f == TypedField::LimitFrom;
}

// The date a date box reads as, in 和暦 ("" while it reads as none).
std::string read_as(const TypedView& v, TypedField f) {
    const auto& d = f == TypedField::Birth        ? v.check.birth
                    : f == TypedField::SwitchDate ? v.check.switch_date
                    : f == TypedField::ValidFrom  ? v.check.valid_from
                                                  : v.check.limit_from;
    return d ? rules::format_wareki(*d) : std::string();
}

void box(const TypedView& v, FrameOutput& out, Ui& ui, TypedField f) {
    const std::string id = std::string("typed:") + console::typed_field_id(f);
    const std::string label = label_of(v, f) + "：" + v.form.at(f);
    const float w = std::min(ui.px(600), ImGui::GetContentRegionAvail().x);
    if (ui::button(ui, id.c_str(), label, ImVec2(w, ui.px(52)), v.focus == f ? Tone::Primary : Tone::Normal))
        send(out, tin::Focus{f});
    const console::FieldCheck& c = v.check.fields[size_t(f)];
    std::string after;
    if (is_date(f)) after = read_as(v, f);
    if (f == TypedField::Insurer && !v.check.insurer_kind.empty())
        after = ja(Msg::TypedInsurerKind, -1, -1, v.check.insurer_kind);
    if (!after.empty() && !c.error) ui::text(ui, ja(Msg::TypedDateRead, -1, -1, after), ui.fonts.body(), ui::kBlue);
    // An empty required box is not an error to shout about while staff have not reached it yet.
    if (c.error && !v.form.at(f).empty()) ui::text_wrapped(ui, c.error->ja, ui.fonts.body(), ui::kRed);
    for (const auto& w2 : c.warnings) ui::text_wrapped(ui, w2.ja, ui.fonts.body(), kOrange);
}

constexpr const char* kKana[] = {
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ", "チ", "ツ", "テ",
    "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ", "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ",
    "ラ", "リ", "ル", "レ", "ロ", "ワ", "ヲ", "ン", "ガ", "ギ", "グ", "ゲ", "ゴ", "ザ", "ジ", "ズ", "ゼ", "ゾ", "ダ",
    "ヂ", "ヅ", "デ", "ド", "バ", "ビ", "ブ", "ベ", "ボ", "パ", "ピ", "プ", "ペ", "ポ", "ャ", "ュ", "ョ", "ッ", "ー", " "};

void pad(const TypedView& v, FrameOutput& out, Ui& ui) {
    if (v.focus == TypedField::KanaName || v.focus == TypedField::KanjiName) {
        // 10 keys a row while they fit the pad's side, fewer on a narrow screen.
        const ImVec2 key(std::max(ui.px(50), ui.min_target()), std::max(ui.px(50), ui.min_target()));
        const float gap = ui.px(4);
        const size_t cols = std::clamp(size_t((ImGui::GetContentRegionAvail().x + gap) / (key.x + gap)), size_t(5),
                                       size_t(10));
        for (size_t i = 0; i < std::size(kKana); ++i) {
            if (i % cols) ImGui::SameLine(0, gap);
            const std::string id = "kana:" + std::to_string(i);
            const std::string label = std::string(kKana[i]) == " " ? ja(Msg::TypedSpace) : kKana[i];
            if (ui::button(ui, id.c_str(), label, key)) send(out, tin::Key{kKana[i]});
        }
        if (ui::button(ui, "pad:erase", ja(Msg::PadClear), ImVec2(ui.px(160), key.y))) send(out, tin::Erase{});
        return;
    }
    const ImVec2 key(ui.px(96), ui.px(52));
    static constexpr const char* kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", "erase"};
    for (size_t i = 0; i < std::size(kKeys); ++i) {
        if (i % 3) ImGui::SameLine(0, ui.px(6));
        const std::string k = kKeys[i];
        if (k.empty()) {
            ImGui::Dummy(key);
            continue;
        }
        const std::string id = "pad:" + k;
        if (k == "erase") {
            if (ui::button(ui, id.c_str(), ja(Msg::PadClear), key)) send(out, tin::Erase{});
        } else if (ui::button(ui, id.c_str(), k, key)) {
            send(out, tin::Key{k});
        }
    }
}

Msg title_of(TypedPurpose p) {
    switch (p) {
        case TypedPurpose::Query: return Msg::TitleTypedQuery;
        case TypedPurpose::Register: return Msg::TitleTypedRegister;
        case TypedPurpose::Switch: return Msg::TitleTypedSwitch;
    }
    return Msg::TitleTypedQuery;
}

}  // namespace

void draw_console_typed(const View& view, FrameOutput& out, Entries&, Ui& ui) {
    console_header(view, out, ui);
    const TypedView& v = view.console->typed;
    const TypedPurpose purpose = v.form.purpose;
    // Without a patient, staff choose what the card is for: a check, or a new patient's registration.
    if (v.form.karte.empty()) {
        const ImVec2 size(ui.px(300), ui.px(56));
        if (ui::button(ui, "typed:purpose-query", ja(Msg::TitleTypedQuery), size,
                       purpose == TypedPurpose::Query ? Tone::Primary : Tone::Normal))
            send(out, tin::Open{TypedPurpose::Query, "", "", {}});
        ImGui::SameLine(0, ui.px(12));
        if (ui::button(ui, "typed:purpose-register", ja(Msg::TitleTypedRegister), size,
                       purpose == TypedPurpose::Register ? Tone::Primary : Tone::Normal))
            send(out, tin::Open{TypedPurpose::Register, "", "", {}});
    } else {
        ui::text(ui, ja(title_of(purpose)) + "  " + ja(Msg::PatientNamed, -1, -1, v.name, v.form.karte),
                 ui.fonts.title());
    }
    if (!v.message.empty()) ui::text_wrapped(ui, ja(v.message), ui.fonts.body(), v.refused ? ui::kRed : ui::kBlue);

    // Left: the boxes (and 性別); right: the pad, then what is chosen once and the action.
    ImGui::BeginChild("##typed-form", ImVec2(ImGui::GetContentRegionAvail().x * 0.52f, 0));
    // One hint line: how to key a date while a date box is in focus, else what the form is for.
    if (is_date(v.focus))
        ui::text_wrapped(ui, ja(Msg::DateEntryHint), ui.fonts.body(), ui::kGrey);
    else if (purpose == TypedPurpose::Query)
        ui::text_wrapped(ui, ja(aid(v) ? Msg::TypedAidHint : Msg::TypedHint), ui.fonts.body(), ui::kGrey);
    else if (purpose == TypedPurpose::Switch)
        ui::text_wrapped(ui, ja(Msg::TypedSwitchHint), ui.fonts.body(), ui::kGrey);
    for (TypedField f : console::fields_of(purpose)) box(v, out, ui, f);
    const ImVec2 choice(ui.px(150), ui.px(52));
    if (purpose == TypedPurpose::Register) {
        ui::text(ui, ja(Msg::TypedSex), ui.fonts.body(), ui::kGrey);
        const std::pair<const char*, Msg> sexes[] = {{"1", Msg::SexMale}, {"2", Msg::SexFemale}, {"3", Msg::SexUnknown}};
        for (size_t i = 0; i < std::size(sexes); ++i) {
            if (i) ImGui::SameLine(0, ui.px(8));
            const std::string id = std::string("typed:sex-") + sexes[i].first;
            if (ui::button(ui, id.c_str(), ja(sexes[i].second), choice,
                           v.form.sex == sexes[i].first ? Tone::Primary : Tone::Normal))
                send(out, tin::Sex{sexes[i].first});
        }
    }
    ImGui::EndChild();
    ImGui::SameLine(0, ui.px(24));
    ImGui::BeginChild("##typed-pad", ImVec2(0, 0));
    pad(v, out, ui);
    if (purpose == TypedPurpose::Query) {
        ui::text(ui, ja(Msg::TypedLimitConsent), ui.fonts.body(), ui::kGrey);
        using intake::LimitConsent;
        const std::pair<LimitConsent, Msg> options[] = {{LimitConsent::Unasked, Msg::ConsoleLimitUnasked},
                                                        {LimitConsent::Yes, Msg::ConsoleLimitYes},
                                                        {LimitConsent::No, Msg::ConsoleLimitNo}};
        const char* ids[] = {"typed:limit-unasked", "typed:limit-yes", "typed:limit-no"};
        for (size_t i = 0; i < std::size(options); ++i) {
            if (i) ImGui::SameLine(0, ui.px(8));
            if (ui::button(ui, ids[i], ja(options[i].second), choice,
                           v.form.consent == options[i].first ? Tone::Primary : Tone::Normal))
                send(out, tin::Consent{options[i].first});
        }
    }
    const Msg submit = purpose == TypedPurpose::Query      ? Msg::BtnQualify
                       : purpose == TypedPurpose::Register ? Msg::BtnRegisterTyped
                                                           : Msg::BtnSwitchTyped;
    if (ui::button(ui, "typed:submit", ja(submit), ImVec2(ui.px(260), ui.px(64)), Tone::Primary,
                   v.check.ready && !v.busy))
        send(out, tin::Submit{});
    if (!v.form.karte.empty()) {
        ImGui::SameLine(0, ui.px(12));
        if (ui::button(ui, "typed:back", ja(Msg::ConsoleBack), ImVec2(ui.px(200), ui.px(64)), Tone::Quiet))
            out.to_console(console::in::OpenPatient{v.form.karte});
    }
    if (purpose == TypedPurpose::Query) ui::text_wrapped(ui, ja(Msg::TypedLimitHint), ui.fonts.body(), ui::kGrey);
    ImGui::EndChild();
}

}  // namespace onshi::kiosk
