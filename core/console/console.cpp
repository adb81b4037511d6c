#include "core/console/console.hpp"

#include <algorithm>
#include <type_traits>

namespace onshi::console {
namespace {

using text::Msg;
using text::msg;

struct PageInfo {
    Page page;
    const char* name;
    Msg title;
};

// One line a page, in the order of Page (checked below).
constexpr PageInfo kPages[] = {
    {Page::List, "list", Msg::ConsoleList},
    {Page::AddKarte, "add_karte", Msg::ConsoleAddKarte},
    {Page::AddKana, "add_kana", Msg::ConsoleAddKana},
    {Page::Consent, "consent", Msg::ConsoleSingleQuery},
    {Page::Querying, "querying", Msg::ConsoleQuerying},
    {Page::Bulk, "bulk", Msg::ConsoleBulk},
    {Page::Patient, "patient", Msg::TitlePatientPage},
    {Page::Typed, "typed", Msg::TitleTypedQuery},
    {Page::Medinfo, "medinfo", Msg::TitleMedinfo},
    {Page::HomeVisit, "homevisit", Msg::TitleHomeVisit},
};
constexpr bool pages_in_order() {
    if (std::size(kPages) != kPageCount) return false;
    for (size_t i = 0; i < std::size(kPages); ++i)
        if (size_t(kPages[i].page) != i) return false;
    return true;
}
static_assert(pages_in_order(), "kPages needs one line per console::Page, in order");

// Named only in the static_assert of a branch no intent reaches (clang calls it unused otherwise).
template <class>
[[maybe_unused]] constexpr bool kAlwaysFalse = false;

}  // namespace

const char* page_name(Page p) { return size_t(p) < kPageCount ? kPages[size_t(p)].name : "?"; }
text::Msg page_title(Page p) { return size_t(p) < kPageCount ? kPages[size_t(p)].title : Msg::None; }

const char* selection_code(BulkSelection s) {
    switch (s) {
        case BulkSelection::Today: return "today";
        case BulkSelection::Tomorrow: return "tomorrow";
        case BulkSelection::DueThisMonth: return "due";
    }
    return "?";
}

const intake::ReceptionListRow* State::row(const std::string& karte) const {
    for (const auto& r : rows)
        if (r.registered && r.karte == karte) return &r;
    return nullptr;
}

const char* intent_name(const Intent& i) {
    static constexpr const char* kNames[] = {
        "show_page", "select_row", "add_karte", "search_kana", "add_hit",     "ask_query",     "answer_consent",
        "stop_waiting", "open_unregistered", "choose_for_unregistered", "start_bulk", "list_loaded", "hits", "added", "query_recorded",
        "query_done", "review_ready", "review_taken", "bulk_update", "failed", "open_patient", "on_patient", "open_typed", "on_typed",
        "open_medinfo", "on_medinfo", "medinfo_loaded", "ask_home_visit", "home_visit_loaded", "review_home_visit", "notice"};
    static_assert(std::size(kNames) == std::variant_size_v<Intent>);
    return kNames[i.index()];
}

// ---- the 患者原簿 and typed pages (core/console/patient_page, typed_card): their models do the work; this
// routes their intents in and their effects out. 単件照会 from the 原簿 is the list's own AskQuery.
namespace {

rules::Date day_of(const State& s) {
    return rules::Date::from_iso(s.day).value_or(rules::Date{2000, 1, 1});  // the list's day (loaded at open)
}

}  // namespace

void Console::page_effects(std::vector<PageEffect> effects, std::vector<Effect>& fx) {
    for (auto& e : effects) {
        if (const auto* q = std::get_if<page_effect::Query>(&e)) {
            for (auto& more : handle(in::AskQuery{q->karte})) fx.push_back(std::move(more));
            if (s_.query && s_.query->karte == q->karte && s_.query->name.empty() && s_.patient.data)
                s_.query->name = s_.patient.data->record.patient.kanji_name;
        } else {
            fx.push_back(effect::Patient{std::move(e)});
        }
    }
}

void Console::pages(const in::OpenPatient& i, std::vector<Effect>& fx) {
    if (i.karte.empty()) return;
    s_.page = Page::Patient;
    s_.selected = i.karte;
    s_.message = {};
    page_effects(console::handle(s_.patient, page_in::Open{i.karte}), fx);
}

void Console::pages(const in::OnPatient& i, std::vector<Effect>& fx) {
    page_effects(console::handle(s_.patient, i.intent), fx);
}

void Console::pages(const in::OpenTyped& i, std::vector<Effect>& fx) {
    typed_in::Open open;
    open.purpose = i.purpose;
    open.karte = i.karte;
    if (!i.karte.empty() && s_.patient.karte == i.karte && s_.patient.data) {
        const auto& r = s_.patient.data->record;
        open.prefill = form_from_record(r, i.purpose);
        open.name = r.patient.kanji_name.empty() ? r.patient.kana_name : r.patient.kanji_name;
    }
    s_.page = Page::Typed;
    s_.message = {};
    typed(TypedIntent{std::move(open)}, fx);
}

void Console::pages(const in::OnTyped& i, std::vector<Effect>& fx) { typed(i.intent, fx); }

void Console::typed(const TypedIntent& intent, std::vector<Effect>& fx) {
    const bool written = std::holds_alternative<typed_in::Written>(intent);
    for (auto& e : console::handle(s_.typed, intent, day_of(s_))) {
        if (auto* q = std::get_if<typed_effect::Query>(&e)) {
            // The console's query path from here on: 照会中 on its page and the list, the answer to 差分確認.
            if (s_.query && !s_.query->abandoned) return;
            PendingQuery p;
            p.karte = q->karte;
            p.name = q->name;
            p.consent = q->consent;
            p.sent = true;
            s_.query = std::move(p);
            if (!q->karte.empty()) s_.querying.insert(q->karte);
            s_.page = Page::Querying;
            fx.push_back(effect::TypedQuery{std::move(*q)});
        } else if (auto* a = std::get_if<typed_effect::Apply>(&e)) {
            fx.push_back(effect::TypedApply{std::move(a->plan)});
        }
    }
    // A patient registered or switched: their 原簿 opens, as it is now.
    if (written) {
        const auto& w = std::get<typed_in::Written>(intent);
        if (w.ok && !w.karte.empty()) {
            pages(in::OpenPatient{w.karte}, fx);
            s_.patient.message = w.message;
        }
        fx.push_back(effect::LoadList{});
    }
}

// ---- 薬剤・健診 (core/medinfo/page) and 訪問等資格確認 (docs/medinfo.md): the slow parts (reading the ledger,
// rendering a PDF page, the OQS requests) are effects; a fetch's outcome comes back with the page read anew.

void Console::pages(const in::OpenMedinfo& i, std::vector<Effect>& fx) {
    if (i.karte.empty()) return;
    s_.page = Page::Medinfo;
    s_.message = {};
    if (s_.medinfo_karte != i.karte) s_.medinfo.reset();
    s_.medinfo_karte = i.karte;
    fx.push_back(effect::Medinfo{i.karte});
}

void Console::pages(const in::OnMedinfo& i, std::vector<Effect>& fx) {
    if (!s_.medinfo) return;
    if (const auto* f = std::get_if<medinfo::page_in::Fetch>(&i.intent)) {
        if (s_.medinfo->busy) return;  // one fetch at a time
        fx.push_back(effect::FetchMedinfo{s_.medinfo->karte,
                                          f->tab == medinfo::PageTab::Drugs ? oqs::medinfo::InfoKind::Drug
                                                                            : oqs::medinfo::InfoKind::Checkup,
                                          f->pdf});
    }
    if (medinfo::apply(*s_.medinfo, i.intent)) {
        const std::string karte = s_.medinfo->karte;
        pages(in::OpenPatient{karte}, fx);  // 閉じる: back to the 原簿, read again
    }
}

void Console::pages(const in::MedinfoLoaded& i, std::vector<Effect>&) {
    if (i.karte != s_.medinfo_karte) return;  // another patient's page opened meanwhile
    if (!i.page && s_.medinfo && !i.message.empty()) {  // the page could not be read again: it stays as it was
        s_.medinfo->busy = false;
        s_.medinfo->message = i.message;
        s_.medinfo->refused = true;
        return;
    }
    if (!i.page) {
        s_.medinfo.reset();
        if (s_.page == Page::Medinfo) s_.page = Page::List;
        s_.message = text::verbatim(i.message.empty() ? "カルテ番号 " + i.karte + " の患者様は原簿にいません。" : i.message);
        return;
    }
    // The tab and PDF choice stay as staff left them; the data is the one just read.
    const medinfo::PageTab tab = s_.medinfo ? s_.medinfo->tab : i.page->tab;
    const bool pdf = s_.medinfo ? s_.medinfo->pdf : i.page->pdf;
    s_.medinfo = i.page;
    s_.medinfo->tab = tab;
    s_.medinfo->pdf = pdf;
    s_.medinfo->busy = false;
    s_.medinfo->message = i.message;
    s_.medinfo->refused = i.refused;
}

void Console::pages(const in::AskHomeVisit& i, std::vector<Effect>& fx) {
    if (s_.homevisit.busy) return;
    s_.homevisit.from = i.from;
    s_.homevisit.to = i.to;
    s_.homevisit.busy = true;
    s_.homevisit.message = {};
    s_.page = Page::HomeVisit;
    fx.push_back(effect::HomeVisit{i.from, i.to});
}

void Console::pages(const in::HomeVisitLoaded& i, std::vector<Effect>&) {
    HomeVisitView& v = s_.homevisit;
    v.busy = false;
    v.loaded = i.list.ok;
    v.rows = i.list.rows;
    v.message = i.list.ok ? text::Message{} : text::msg(Msg::HomeVisitFailed);  // the reason is logged
}

void Console::pages(const in::ReviewHomeVisit& i, std::vector<Effect>&) {
    const HomeVisitView& v = s_.homevisit;
    if (i.row >= v.rows.size() || s_.review) return;
    const medinfo::HomeVisitRow& r = v.rows[i.row];
    // The usual 差分確認: a linked patient's own, otherwise 新患登録 / 患者を選ぶ there.
    s_.review = Review{r.karte, 0, r.result, r.raw_xml};
}

void Console::reset_page() {
    s_.page = s_.query && !s_.query->abandoned && s_.query->sent ? Page::Querying : Page::List;
    s_.hits.clear();
    s_.hits_too_many = false;
    s_.message = {};
}

std::vector<Effect> Console::handle(const Intent& intent) {
    std::vector<Effect> fx;
    std::visit(
        [&](const auto& i) {
            using T = std::decay_t<decltype(i)>;
            // ---- from the pages
            if constexpr (std::is_same_v<T, in::ShowPage>) {
                if (s_.page == Page::Querying && i.page != Page::Querying) return;  // 戻る is StopWaiting
                s_.page = i.page;
                s_.message = {};
                s_.choosing_file.clear();
                s_.choosing_name.clear();
                if (i.page == Page::AddKana) {
                    s_.hits.clear();
                    s_.hits_too_many = false;
                }
                if (i.page == Page::List) fx.push_back(effect::LoadList{});
            } else if constexpr (std::is_same_v<T, in::SelectRow>) {
                s_.selected = i.karte;
                s_.selected_file = i.karte.empty() ? i.file : std::string();
            } else if constexpr (std::is_same_v<T, in::AddHit>) {
                if (i.karte.empty()) return;
                if (!s_.choosing_file.empty()) {  // 患者を選ぶ: this patient's 差分確認 of the face result
                    s_.selected_file = s_.choosing_file;
                    s_.chosen_karte = i.karte;
                    s_.page = Page::List;  // where 差分確認 comes back to, as from the row itself
                    fx.push_back(effect::ReadUnregistered{s_.choosing_file});
                    s_.choosing_file.clear();
                    s_.choosing_name.clear();
                    return;
                }
                if (s_.adding) return;
                s_.adding = true;
                s_.message = {};
                fx.push_back(effect::Add{i.karte});
            } else if constexpr (std::is_same_v<T, in::AddKarte>) {
                if (i.karte.empty() || s_.adding) return;
                s_.adding = true;
                s_.message = {};
                fx.push_back(effect::Add{i.karte});
            } else if constexpr (std::is_same_v<T, in::SearchKana>) {
                if (i.kana.empty()) return;
                fx.push_back(effect::Search{i.kana});
            } else if constexpr (std::is_same_v<T, in::AskQuery>) {
                if (i.karte.empty() || s_.is_querying(i.karte) || (s_.query && !s_.query->abandoned)) return;
                PendingQuery q;
                q.karte = i.karte;
                if (const auto* r = s_.row(i.karte)) q.name = r->kanji_name;
                s_.query = std::move(q);
                s_.selected = i.karte;
                s_.page = Page::Consent;
                s_.message = {};
            } else if constexpr (std::is_same_v<T, in::AnswerConsent>) {
                if (s_.page != Page::Consent || !s_.query || s_.query->sent) return;
                s_.query->consent = i.consent;
                s_.query->sent = true;
                s_.querying.insert(s_.query->karte);  // the row says 照会中 at once
                s_.page = Page::Querying;
                fx.push_back(effect::Query{s_.query->karte, i.consent});
            } else if constexpr (std::is_same_v<T, in::StopWaiting>) {
                if (s_.page == Page::Consent) s_.query.reset();  // nothing was sent
                if (s_.query) s_.query->abandoned = true;        // the check stays 照会中 (manual)
                s_.page = Page::List;
                fx.push_back(effect::LoadList{});
            } else if constexpr (std::is_same_v<T, in::OpenUnregistered>) {
                if (i.file.empty()) return;
                s_.selected.clear();
                s_.selected_file = i.file;
                s_.chosen_karte.clear();
                fx.push_back(effect::ReadUnregistered{i.file});
            } else if constexpr (std::is_same_v<T, in::ChooseForUnregistered>) {
                if (i.file.empty()) return;
                s_.page = Page::AddKana;
                s_.message = {};
                s_.hits.clear();
                s_.hits_too_many = false;
                s_.choosing_file = i.file;
                s_.choosing_name = i.name;
            } else if constexpr (std::is_same_v<T, in::StartBulk>) {
                if (s_.bulk.running) return;
                s_.bulk = BulkView{};
                s_.bulk.running = true;
                s_.bulk.selection = selection_code(i.selection);
                fx.push_back(effect::Bulk{i.selection});
                // ---- from the host
            } else if constexpr (std::is_same_v<T, in::ListLoaded>) {
                s_.day = i.day;
                s_.rows = i.rows;
                ++s_.list_version;
                // A row that now shows a check recorded from here no longer needs the local 照会中.
                for (auto it = s_.querying.begin(); it != s_.querying.end();) {
                    const auto* r = s_.row(*it);
                    const bool pending_here = s_.query && s_.query->karte == *it && !s_.query->abandoned &&
                                              s_.query->check_id == 0;
                    if (!pending_here && r && !r->status_key.empty())
                        it = s_.querying.erase(it);
                    else
                        ++it;
                }
            } else if constexpr (std::is_same_v<T, in::Hits>) {
                s_.hits = i.hits;
                s_.hits_too_many = i.too_many;
                if (i.hits.empty() && !i.too_many) s_.message = msg(Msg::ConsoleNoHits);
            } else if constexpr (std::is_same_v<T, in::Added>) {
                s_.adding = false;
                s_.message = i.message;
                if (i.message.empty())
                    s_.message = msg(i.added ? Msg::ConsoleAdded : Msg::ConsoleAlreadyListed, -1, -1, i.karte);
                if (i.query_pending) s_.querying.insert(i.karte);
                s_.selected = i.karte;
                s_.page = Page::List;
                fx.push_back(effect::LoadList{});
            } else if constexpr (std::is_same_v<T, in::QueryRecorded>) {
                if (s_.query && s_.query->karte == i.karte && s_.query->check_id == 0) s_.query->check_id = i.check_id;
                fx.push_back(effect::LoadList{});
            } else if constexpr (std::is_same_v<T, in::QueryDone>) {
                s_.querying.erase(i.karte);
                const bool mine = i.from_console && s_.query && s_.query->karte == i.karte;
                if (mine) {
                    const bool open = !s_.query->abandoned && i.answered && i.result;
                    if (open) s_.review = Review{i.karte, i.check_id, *i.result, i.raw_xml};
                    if (!s_.query->abandoned) {
                        s_.page = Page::List;
                        s_.message = i.message;
                    }
                    s_.query.reset();
                } else if (!i.message.empty()) {
                    s_.message = i.message;
                }
                fx.push_back(effect::LoadList{});
            } else if constexpr (std::is_same_v<T, in::ReviewReady>) {
                s_.review = i.review;
                // 患者を選ぶ: 差分確認 of the face result against the patient staff chose.
                if (s_.review->karte.empty()) s_.review->karte = s_.chosen_karte;
                s_.chosen_karte.clear();
            } else if constexpr (std::is_same_v<T, in::ReviewTaken>) {
                s_.review.reset();
            } else if constexpr (std::is_same_v<T, in::BulkUpdate>) {
                const bool resumed = s_.bulk.resumed || i.bulk.resumed;
                s_.bulk = i.bulk;
                s_.bulk.resumed = resumed && i.bulk.batch_id != 0;
                fx.push_back(effect::LoadList{});
            } else if constexpr (std::is_same_v<T, in::OpenPatient> || std::is_same_v<T, in::OnPatient> ||
                                 std::is_same_v<T, in::OpenTyped> || std::is_same_v<T, in::OnTyped> ||
                                 std::is_same_v<T, in::OpenMedinfo> || std::is_same_v<T, in::OnMedinfo> ||
                                 std::is_same_v<T, in::MedinfoLoaded> || std::is_same_v<T, in::AskHomeVisit> ||
                                 std::is_same_v<T, in::HomeVisitLoaded> || std::is_same_v<T, in::ReviewHomeVisit>) {
                pages(i, fx);
            } else if constexpr (std::is_same_v<T, in::Notice>) {
                s_.message = i.message;
            } else if constexpr (std::is_same_v<T, in::Failed>) {
                s_.adding = false;
                s_.chosen_karte.clear();  // a face result that could not be read back is nobody's
                s_.message = i.message;
            } else {
                static_assert(kAlwaysFalse<T>, "every intent is handled");
            }
        },
        intent);
    return fx;
}

}  // namespace onshi::console
