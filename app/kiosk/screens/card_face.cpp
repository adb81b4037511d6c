// 券面確認: staff key 照合番号B from the card face; the chip's photo and data come back, with the
// signature and challenge checks; staff compare the photo with the patient and confirm.
// Whether the pad takes a number, how the tries read and whether 本人と確認しました is possible all come
// from the flow (flow::state::CardFace); this screen only draws them.
#include "app/kiosk/screens/screens.hpp"
#include "app/kiosk/widgets/pin_pad.hpp"

namespace onshi::kiosk {
namespace {

void entry_field(Ui& ui, Msg label, const std::string& digits, size_t from, size_t len, bool active) {
    std::string shown;
    for (size_t i = from; i < from + len; ++i) shown += i < digits.size() ? digits.substr(i, 1) : "_";
    ui::text(ui, ja(label), ui.fonts.body(), active ? ui::kBlue : ui::kGrey);
    ui::text(ui, shown, ui.fonts.numerals(), active ? ui::kBlue : IM_COL32(30, 30, 30, 255));
}

void number_entry(FrameOutput& out, Entries& entries, Ui& ui, const flow::state::CardFace& c) {
    std::string& d = entries.face;
    // The three parts on the left as printed on the card, the pad on the right: all on one screen.
    ImGui::BeginGroup();
    ui::text(ui, ja(Msg::NumberEntryTitle), ui.fonts.body());
    entry_field(ui, Msg::NumberBirthPart, d, 0, 6, d.size() < 6);
    entry_field(ui, Msg::NumberExpiryPart, d, 6, 4, d.size() >= 6 && d.size() < 10);
    entry_field(ui, Msg::NumberCodePart, d, 10, 4, d.size() >= 10);
    ImGui::EndGroup();
    ImGui::SameLine(ui.px(560));
    ImGui::BeginGroup();
    PinPadSpec spec;
    spec.min_digits = spec.max_digits = 14;
    spec.masked = false;
    spec.backspace = true;
    spec.show_entry = false;
    spec.key_px = 88;
    spec.enabled = c.entry_allowed;
    if (pin_pad(ui, d, spec) == PadResult::Submit) {
        out.emit(flow::in::FaceNumber{d.substr(0, 6), d.substr(6, 4), d.substr(10, 4)});
        d.clear();  // a secret: gone from the screen once sent
    }
    ImGui::EndGroup();
}

Msg authenticity(flow::Verdict v) {
    switch (v) {
        case flow::Verdict::Genuine: return Msg::AuthenticityGenuine;
        case flow::Verdict::ForgedSuspect: return Msg::AuthenticityForged;
        case flow::Verdict::Unverified: break;
    }
    return Msg::AuthenticityUnverified;
}

void chip_data(Ui& ui, const flow::CardFaceView& f) {
    const float photo_w = ui.px(300), photo_h = ui.px(380);
    ImGui::BeginGroup();
    ui::image(ui, &f.photo, f.photo.width, f.photo.height, f.photo.rgba.data(), ImVec2(photo_w, photo_h),
              ja(Msg::NoPhoto));
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ui::text(ui, ja(Msg::ChipInfo), ui.fonts.body(), ui::kGrey);
    ui::text(ui, ja(Msg::ChipBirth, -1, -1, wareki(f.birth)), ui.fonts.title());
    ui::text(ui, ja(Msg::ChipSex, -1, -1, ja(sex_label(f.sex))), ui.fonts.title());
    ui::text(ui, ja(Msg::ChipExpiry, -1, -1, wareki(f.expiry)), ui.fonts.title());
    ui::image(ui, &f.name, f.name.width, f.name.height, f.name.rgba.data(), ImVec2(ui.px(420), ui.px(70)),
              ja(Msg::NoNameImage));
    ui::image(ui, &f.address, f.address.width, f.address.height, f.address.rgba.data(), ImVec2(ui.px(420), ui.px(90)),
              ja(Msg::NoAddressImage));
    ui::text(ui, ja(authenticity(f.verdict)), ui.fonts.body(),
             f.verdict == flow::Verdict::Genuine ? IM_COL32(0, 120, 60, 255) : ui::kRed);
    ImGui::EndGroup();
}

}  // namespace

void draw_card_face(const View& view, FrameOutput& out, Entries& entries, Ui& ui) {
    staff_header(view, out, ui, Msg::TitleCardFace);
    const auto* found = view.visit->as<flow::state::CardFace>();
    if (!found) return;
    const flow::state::CardFace& c = *found;
    const bool forged = c.face && c.face->verdict == flow::Verdict::ForgedSuspect;
    if (forged) ui::banner(ui, ja(Msg::ForgedBanner), ui::kRed);
    // The remaining tries are always on screen: a blocked card needs a trip to the municipality.
    std::string tries = c.tries_left >= 0 ? ja(Msg::TriesLeft, c.tries_left) : ja(Msg::TriesChecking);
    ui::text(ui, tries, ui.fonts.body(), c.tries_low ? ui::kRed : ui::kBlue);
    if (c.inspecting()) ui::text(ui, ja(Msg::InspectingCard), ui.fonts.body(), ui::kGrey);
    if (c.reading) {
        ui::text(ui, ja(Msg::ReadingFace), ui.fonts.body(), ui::kGrey);
        out.animating = true;
    }
    if (!c.message.empty()) ui::text_wrapped(ui, ja(c.message), ui.fonts.body(), ui::kRed);

    if (!c.face) {
        number_entry(out, entries, ui, c);
        return;
    }
    chip_data(ui, *c.face);
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    ui::text(ui, ja(Msg::ComparePhoto), ui.fonts.body());
    const ImVec2 big(ui.px(360), ui.px(80));
    if (ui::button(ui, "confirm", ja(Msg::ConfirmPerson), big, Tone::Primary, c.confirm_allowed))
        out.emit(flow::in::ConfirmPerson{});
    ImGui::SameLine();
    if (ui::button(ui, "abort-person", ja(Msg::Abort), ImVec2(ui.px(200), big.y), Tone::Danger))
        out.emit(flow::in::Abort{});
}

}  // namespace onshi::kiosk
