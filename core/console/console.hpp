#pragma once
// The reception console: the kiosk's staff mode for the day's work (受付一覧, 単件照会, 一括照会), reached
// from カード待ち after the passcode and locked by the flow's staff-idle rule like every staff screen.
// A model without ImGui: intents in (from the pages, and from the host's worker as results), State out, and
// the slow work the host must run (Effects: ledger writes, OQS requests) returned by handle(). Nothing here
// does I/O. docs/oqs-terminal.md, "The kiosk's reception console", has the rules.
//
// Where a new page plugs in (three places, same order everywhere):
//   1. a Page value below (before Count_);
//   2. its name and title in kPages (console.cpp);
//   3. its draw function in the page table of app/kiosk/screens/console.cpp (kConsolePages).
// A page keeps its own data in its own struct inside State (as BulkView does) and its intents in in::…
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/console/patient_page.hpp"
#include "core/console/typed_card.hpp"
#include "core/intake/reception.hpp"
#include "core/intake/single_query.hpp"
#include "core/medinfo/fetch.hpp"
#include "core/medinfo/page.hpp"
#include "core/oqs/result.hpp"
#include "core/text/messages_ja.hpp"

namespace onshi::console {

enum class Page : uint8_t {
    List,      // 受付一覧 (the manual's 院内患者 list)
    AddKarte,  // カルテ番号で追加 (number pad)
    AddKana,   // カナで検索 (kana pad + search hits)
    Consent,   // 単件照会: 限度額情報の提供 未確認 / 同意 / 拒否
    Querying,  // 照会中: the answer is awaited
    Bulk,      // 一括照会
    Patient,   // 患者原簿 of one patient (core/console/patient_page)
    Typed,     // 保険証で資格確認 / typed 新患登録 / 保険証変更 (core/console/typed_card)
    Medinfo,   // 薬剤・健診 of one patient, from the 原簿 (core/medinfo/page)
    HomeVisit, // 訪問等資格確認: the マイナ在宅受付Web 同意済一覧 for a 確認期間 (docs/medinfo.md)
    Count_
};
constexpr size_t kPageCount = size_t(Page::Count_);
const char* page_name(Page p);  // "list", "add_karte" … (scripts and logs)
text::Msg page_title(Page p);

// Which patients a 一括照会 asks about.
enum class BulkSelection : uint8_t { Today, Tomorrow, DueThisMonth };
const char* selection_code(BulkSelection s);  // "today", "tomorrow", "due" (the batch's selection)

struct SearchHit {
    std::string karte, kanji_name, kana_name, birth;
};

// A 単件照会 from the console, from the consent question to its answer.
struct PendingQuery {
    std::string karte, name;
    intake::LimitConsent consent = intake::LimitConsent::Unasked;
    bool sent = false;       // handed to the worker
    int64_t check_id = 0;    // the 照会中 check, once recorded
    bool abandoned = false;  // 戻る while waiting: the check stays 照会中; a later answer opens nothing
};

// An answer (or a face result already taken in) for 差分確認; the host hands it to the visit flow.
struct Review {
    std::string karte;     // "" : nobody chosen yet (原簿未登録)
    int64_t check_id = 0;  // the check already recorded for it; 0 none
    oqs::QualificationResult result;
    std::string raw_xml;
};

// The 一括照会 page: the batch in progress (or the last one) with its counts.
struct BulkView {
    bool running = false;
    bool resumed = false;  // found unfinished at start-up and taken up again
    int64_t batch_id = 0;
    std::string selection, state;
    std::string reception_number;  // the terminal's 受付番号 once the OQSmuquc01res came
    size_t sent = 0, answered = 0, valid = 0, lost = 0, none = 0, error = 0;
    text::Message message;
};

// The 訪問等資格確認 page: the 確認期間 asked for and the list OQS gave back.
struct HomeVisitView {
    std::string from, to;  // YYYYMMDD
    bool busy = false;     // OQSmuhvq01/02 on the host's worker
    bool loaded = false;   // a list came back (maybe empty)
    std::vector<medinfo::HomeVisitRow> rows;
    text::Message message;  // why there is no list
};

struct State {
    Page page = Page::List;
    std::string day;  // the list's day, ISO
    std::vector<intake::ReceptionListRow> rows;
    std::string selected;                 // karte of the selected row ("" none)
    std::string selected_file;            // or the face/ file of a selected 原簿未登録 row
    std::vector<SearchHit> hits;          // AddKana
    // 患者を選ぶ of a 原簿未登録 row: the kana search picks the patient its face result is for (the hit opens
    // 差分確認 of that result against the patient instead of adding to the list); "" : the search adds.
    std::string choosing_file, choosing_name;
    std::string chosen_karte;  // the patient a hit chose: the review read back for choosing_file is for them
    bool hits_too_many = false;           // more than shown: type more kana
    bool adding = false;                  // an add is on the worker
    std::set<std::string> querying;       // kartes asked about, shown 照会中 at once until the list says so
    std::optional<PendingQuery> query;    // Consent / Querying
    std::optional<Review> review;         // waiting for the host to open 差分確認
    BulkView bulk;
    PatientPage patient;  // 患者原簿
    TypedView typed;      // 保険証で資格確認
    std::optional<medinfo::PageState> medinfo;  // 薬剤・健診 (nullopt while it is read)
    std::string medinfo_karte;                  // whose page is open or being read
    HomeVisitView homevisit;                    // 訪問等資格確認
    text::Message message;                // the last outcome (added, refused …)
    uint64_t list_version = 0;            // bumped whenever rows change (tests, frame caching)

    // The row's badge, 照会中 while a query from here is in flight.
    const intake::ReceptionListRow* row(const std::string& karte) const;
    bool is_querying(const std::string& karte) const { return querying.count(karte) > 0; }
};

namespace in {
// ---- from the pages
struct ShowPage {
    Page page = Page::List;
};
struct SelectRow {
    std::string karte;  // "" with `file` for a 原簿未登録 row
    std::string file;
};
struct AddKarte {
    std::string karte;
};
struct SearchKana {
    std::string kana;
};
struct AddHit {
    std::string karte;
};
struct AskQuery {  // 単件照会 on a row: asks 限度額 consent first
    std::string karte;
};
struct AnswerConsent {
    intake::LimitConsent consent = intake::LimitConsent::Unasked;
};
struct StopWaiting {};  // 戻る while 照会中: nothing is cancelled at OQS; the check stays 照会中
struct OpenUnregistered {
    std::string file;  // 原簿未登録 → 新患登録 (差分確認 matches the answer, or registers)
};
struct ChooseForUnregistered {  // 原簿未登録 → 患者を選ぶ: the kana search, then 差分確認 with the patient chosen
    std::string file;
    std::string name;  // the name the face result carries, for the prompt
};
struct StartBulk {
    BulkSelection selection = BulkSelection::Today;
};
// ---- from the host (worker results, ledger events)
struct ListLoaded {
    std::string day;
    std::vector<intake::ReceptionListRow> rows;
};
struct Hits {
    std::vector<SearchHit> hits;
    bool too_many = false;
};
struct Added {
    std::string karte;
    bool added = false;          // false: already on the list
    bool query_pending = false;  // the automatic 単件照会 went out
    text::Message message;       // refused / failed, or empty
};
struct QueryRecorded {  // the 照会中 check is in the ledger
    std::string karte;
    int64_t check_id = 0;
};
struct QueryDone {
    std::string karte;
    int64_t check_id = 0;
    bool answered = false;  // false: no answer in time (stays 照会中) or nothing could be sent
    std::optional<oqs::QualificationResult> result;
    std::string raw_xml;
    text::Message message;  // why nothing was sent / no answer
    bool from_console = true;  // false: the automatic query of an add (no 差分確認 opens by itself)
};
struct ReviewReady {  // a 原簿未登録 face result read back for 差分確認
    Review review;
};
struct ReviewTaken {};  // the flow opened 差分確認 with State::review
struct BulkUpdate {
    BulkView bulk;
};
struct OpenPatient {  // 患者原簿 of a row (or back from the typed page)
    std::string karte;
};
struct OnPatient {  // the 原簿 page's own intents and its worker results (core/console/patient_page)
    PageIntent intent;
};
struct OpenTyped {  // 保険証で資格確認 / 保険証変更 of `karte` (from its 原簿), or a new patient's card ("")
    TypedPurpose purpose = TypedPurpose::Query;
    std::string karte;
};
struct OnTyped {  // the typed page's intents and the outcome of its plan (core/console/typed_card)
    TypedIntent intent;
};
struct OpenMedinfo {  // 薬剤・健診 of `karte` (from its 原簿)
    std::string karte;
};
struct OnMedinfo {  // the 薬剤・健診 page's intents (core/medinfo/page); Close goes back to the 原簿
    medinfo::PageIntent intent;
};
struct MedinfoLoaded {  // the page read (and a fetch's outcome) on the worker
    std::string karte;
    std::optional<medinfo::PageState> page;  // nullopt: no such patient
    std::string message;                     // a fetch's outcome ("" after a plain open)
    bool refused = false;
};
struct AskHomeVisit {  // 確認申請 + 情報結果取得 for the 確認期間 (YYYYMMDD)
    std::string from, to;
};
struct HomeVisitLoaded {
    medinfo::HomeVisitList list;
};
struct ReviewHomeVisit {  // a row of the list → 差分確認 (新患登録 / 患者を選ぶ, or the linked patient's)
    size_t row = 0;
};
struct Notice {  // an outcome that came back later (a 照会番号登録's answer): shown on 受付一覧
    text::Message message;
};
struct Failed {  // a job failed (ledger busy …)
    text::Message message;
};
}  // namespace in

using Intent = std::variant<in::ShowPage, in::SelectRow, in::AddKarte, in::SearchKana, in::AddHit, in::AskQuery,
                            in::AnswerConsent, in::StopWaiting, in::OpenUnregistered, in::ChooseForUnregistered, in::StartBulk, in::ListLoaded,
                            in::Hits, in::Added, in::QueryRecorded, in::QueryDone, in::ReviewReady, in::ReviewTaken,
                            in::BulkUpdate, in::Failed, in::OpenPatient, in::OnPatient, in::OpenTyped, in::OnTyped,
                            in::OpenMedinfo, in::OnMedinfo, in::MedinfoLoaded, in::AskHomeVisit, in::HomeVisitLoaded,
                            in::ReviewHomeVisit, in::Notice>;
const char* intent_name(const Intent& i);

// What the host runs for the console (on its worker unless noted).
namespace effect {
struct LoadList {  // the UI thread may build it: one query
    bool today = true;
};
struct Search {
    std::string kana;
};
struct Add {
    std::string karte;
};
struct Query {
    std::string karte;
    intake::LimitConsent consent = intake::LimitConsent::Unasked;
};
struct ReadUnregistered {
    std::string file;
};
struct Bulk {
    BulkSelection selection = BulkSelection::Today;
};
struct Patient {  // the 原簿 page's ledger work: console::run_page_effect on the worker
    PageEffect effect;
};
struct TypedQuery {  // console::send_typed_query on the worker; the answer comes back as a 単件照会's
    typed_effect::Query query;
};
struct TypedApply {  // 新患登録 / 保険証変更: LedgerStore::apply on the worker → in::OnTyped{typed_in::Written}
    ledger::OverwritePlan plan;
};
struct Medinfo {  // medinfo::open_page on the worker → in::MedinfoLoaded
    std::string karte;
};
struct FetchMedinfo {  // medinfo::fetch (consent checked first), then open_page → in::MedinfoLoaded
    std::string karte;
    oqs::medinfo::InfoKind kind = oqs::medinfo::InfoKind::Drug;
    bool pdf = false;
};
struct HomeVisit {  // medinfo::home_visit_list → in::HomeVisitLoaded
    std::string from, to;
};
}  // namespace effect
using Effect = std::variant<effect::LoadList, effect::Search, effect::Add, effect::Query, effect::ReadUnregistered,
                            effect::Bulk, effect::Patient, effect::TypedQuery, effect::TypedApply, effect::Medinfo,
                            effect::FetchMedinfo, effect::HomeVisit>;

class Console {
public:
    // One intent: the state changes, the work the host must run comes back.
    std::vector<Effect> handle(const Intent& intent);
    const State& state() const { return s_; }
    // Back to 受付一覧 with nothing half-typed (the console is opened anew, or staff changed).
    void reset_page();

private:
    // The 原簿 and typed pages (console.cpp, at the end).
    void pages(const in::OpenPatient& i, std::vector<Effect>& fx);
    void pages(const in::OnPatient& i, std::vector<Effect>& fx);
    void pages(const in::OpenTyped& i, std::vector<Effect>& fx);
    void pages(const in::OnTyped& i, std::vector<Effect>& fx);
    void page_effects(std::vector<PageEffect> effects, std::vector<Effect>& fx);
    void typed(const TypedIntent& intent, std::vector<Effect>& fx);
    // 薬剤・健診 and 訪問等資格確認 (console.cpp, at the end).
    void pages(const in::OpenMedinfo& i, std::vector<Effect>& fx);
    void pages(const in::OnMedinfo& i, std::vector<Effect>& fx);
    void pages(const in::MedinfoLoaded& i, std::vector<Effect>& fx);
    void pages(const in::AskHomeVisit& i, std::vector<Effect>& fx);
    void pages(const in::HomeVisitLoaded& i, std::vector<Effect>& fx);
    void pages(const in::ReviewHomeVisit& i, std::vector<Effect>& fx);

    State s_;
};

}  // namespace onshi::console
