// 券面確認: staff key 照合番号B from the card face; the chip's photo and data come back, with the
// signature and challenge checks; staff compare the photo with the patient and confirm.
#include "app/kiosk/screens/screens.hpp"
#include "app/kiosk/widgets/pin_pad.hpp"

namespace onshi::kiosk {
namespace {

const char* sex_label(const std::string& s) { return s == "1" ? "男" : s == "2" ? "女" : "—"; }

void entry_field(Ui& ui, const char* label, const std::string& digits, size_t from, size_t len, bool active) {
    std::string shown;
    for (size_t i = from; i < from + len; ++i) shown += i < digits.size() ? digits.substr(i, 1) : "_";
    ui::text(ui, label, ui.fonts.body(), active ? ui::kBlue : ui::kGrey);
    ui::text(ui, shown, ui.fonts.numerals(), active ? ui::kBlue : IM_COL32(30, 30, 30, 255));
}

void number_entry(AppState& app, Ui& ui, const flow::Visit& v) {
    const bool can_try = v.tries_left < 0 || v.tries_left > 2;
    std::string& d = app.entries.face;
    // The three parts on the left as printed on the card, the pad on the right: all on one screen.
    ImGui::BeginGroup();
    ui::text(ui, "照合番号B（券面から入力）", ui.fonts.body());
    entry_field(ui, "生年月日（和暦 YYMMDD）", d, 0, 6, d.size() < 6);
    entry_field(ui, "有効期限の年（西暦4桁）", d, 6, 4, d.size() >= 6 && d.size() < 10);
    entry_field(ui, "セキュリティコード（4桁）", d, 10, 4, d.size() >= 10);
    ImGui::EndGroup();
    ImGui::SameLine(ui.px(560));
    ImGui::BeginGroup();
    PinPadSpec spec;
    spec.min_digits = spec.max_digits = 14;
    spec.masked = false;
    spec.backspace = true;
    spec.show_entry = false;
    spec.key_px = 88;
    spec.enabled = v.inspection.has_value() && !v.reading_face && can_try && !v.card_message_ja.starts_with("照合番号Bの残り");
    if (pin_pad(ui, d, spec) == PadResult::Submit) {
        app.emit(flow::in::FaceNumber{d.substr(0, 6), d.substr(6, 4), d.substr(10, 4)});
        d.clear();  // a secret: gone from the screen once sent
    }
    ImGui::EndGroup();
}

void chip_data(AppState& app, Ui& ui, const flow::CardFaceView& f) {
    const float photo_w = ui.px(300), photo_h = ui.px(380);
    ImGui::BeginGroup();
    ui::image(ui, &f.photo, f.photo.width, f.photo.height, f.photo.rgba.data(), ImVec2(photo_w, photo_h), "写真なし");
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ui::text(ui, "ICチップの情報", ui.fonts.body(), ui::kGrey);
    ui::text(ui, "生年月日  " + wareki(f.birth), ui.fonts.title());
    ui::text(ui, std::string("性別  ") + sex_label(f.sex), ui.fonts.title());
    ui::text(ui, "有効期限  " + wareki(f.expiry), ui.fonts.title());
    ui::image(ui, &f.name, f.name.width, f.name.height, f.name.rgba.data(), ImVec2(ui.px(420), ui.px(70)), "氏名の画像なし");
    ui::image(ui, &f.address, f.address.width, f.address.height, f.address.rgba.data(), ImVec2(ui.px(420), ui.px(90)),
              "住所の画像なし");
    std::string check = f.verdict == "genuine"  ? "真正性: 署名・チャレンジとも確認済み"
                        : f.verdict == "forged_suspect" ? "真正性: 確認できませんでした"
                                                        : "真正性: 未確認（信頼する鍵が設定されていません）";
    ui::text(ui, check, ui.fonts.body(), f.verdict == "genuine" ? IM_COL32(0, 120, 60, 255) : ui::kRed);
    ImGui::EndGroup();
    (void)app;
}

}  // namespace

void draw_card_face(AppState& app, Ui& ui) {
    const flow::Visit& v = *app.visit;
    staff_header(app, ui, "券面確認");
    if (v.face && v.face->verdict == "forged_suspect")
        ui::banner(ui, "偽造の疑い — このカードでは続けられません", ui::kRed);
    // The remaining tries are always on screen: a blocked card needs a trip to the municipality.
    std::string tries = v.tries_left >= 0 ? "照合番号B 残り " + std::to_string(v.tries_left) + " 回" : "照合番号B 残り回数を確認中";
    ui::text(ui, tries, ui.fonts.body(), v.tries_left >= 0 && v.tries_left <= 3 ? ui::kRed : ui::kBlue);
    if (v.inspecting) ui::text(ui, "カードを読み取っています…", ui.fonts.body(), ui::kGrey);
    if (v.reading_face) {
        ui::text(ui, "券面の情報を読み取っています…", ui.fonts.body(), ui::kGrey);
        app.animating = true;
    }
    if (!v.card_message_ja.empty()) ui::text_wrapped(ui, v.card_message_ja, ui.fonts.body(), ui::kRed);

    if (!v.face) {
        number_entry(app, ui, v);
        return;
    }
    chip_data(app, ui, *v.face);
    ImGui::Dummy(ImVec2(0, ui.px(8)));
    ui::text(ui, "写真と患者さんのお顔を見比べてください", ui.fonts.body());
    const ImVec2 big(ui.px(360), ui.px(80));
    bool forged = v.face->verdict == "forged_suspect";
    if (ui::button(ui, "confirm", "本人と確認しました", big, Tone::Primary, !forged)) app.emit(flow::in::ConfirmPerson{});
    ImGui::SameLine();
    if (ui::button(ui, "abort-person", "中止", ImVec2(ui.px(200), big.y), Tone::Danger)) app.emit(flow::in::Abort{});
}

}  // namespace onshi::kiosk
