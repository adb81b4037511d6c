#include "core/flow/transitions.hpp"

#include <iterator>
#include <set>
#include <sstream>

namespace onshi::flow {
namespace {

constexpr const char* kEventNames[] = {"activity",
                                       "staff_button",
                                       "select_staff",
                                       "passcode",
                                       "choose_reason",
                                       "face_number",
                                       "confirm_person",
                                       "guidance_next",
                                       "guidance_back",
                                       "wait_again",
                                       "claim_result",
                                       "show_diff",
                                       "choose_candidate",
                                       "choose_new_patient",
                                       "set_overwrite_mode",
                                       "set_show_all",
                                       "toggle_field",
                                       "update",
                                       "confirm_switch",
                                       "cancel_switch",
                                       "register",
                                       "fetch_medical_info",
                                       "cancel",
                                       "acknowledge",
                                       "abort",
                                       "lock",
                                       "tick",
                                       "card_inserted",
                                       "card_removed",
                                       "card_inspected",
                                       "face_read",
                                       "face_result",
                                       "review_answer",
                                       "passcode_accepted",
                                       "passcode_rejected",
                                       "applied",
                                       "plan_refused"};
static_assert(std::size(kEventNames) == size_t(Event::Count_));

constexpr const char* kGuardNames[] = {"",
                                       "no_active_staff",
                                       "known_staff",
                                       "staff_chosen",
                                       "card_present",
                                       "reason_card_present",
                                       "known_reason",
                                       "lockout_over",
                                       "staff_check_due",
                                       "staff_idle",
                                       "done_elapsed",
                                       "aborted_elapsed",
                                       "inspection_failed",
                                       "inspecting",
                                       "number_malformed",
                                       "entry_allowed",
                                       "read_ok",
                                       "wrong_number",
                                       "card_blocked",
                                       "read_refused",
                                       "read_bad_input",
                                       "read_failed_card_present",
                                       "read_failed",
                                       "forged_face",
                                       "face_shown",
                                       "last_instruction",
                                       "not_first_instruction",
                                       "this_persons_result",
                                       "of_this_person",
                                       "another_persons_result",
                                       "names_nobody",
                                       "face_wait_over",
                                       "holding_unnamed",
                                       "choosing_patient",
                                       "offered_candidate",
                                       "has_diff",
                                       "field_toggleable",
                                       "switch_without_overwrite",
                                       "new_patient",
                                       "not_writable",
                                       "nothing_changed",
                                       "nothing_checked",
                                       "can_overwrite",
                                       "switch_dialog_open",
                                       "switch_date_invalid",
                                       "medical_info_offered",
                                       "no_patient",
                                       "staff_signed_in",
                                       "to_console",
                                       "to_console_done_elapsed"};
static_assert(std::size(kGuardNames) == size_t(Guard::Count_));

constexpr const char* kActionNames[] = {"",
                                        "load_staff",
                                        "fail_no_staff",
                                        "select_staff",
                                        "verify_passcode",
                                        "sign_in",
                                        "set_reason",
                                        "show_auth_refusal",
                                        "clear_lockout",
                                        "lock",
                                        "card_pulled",
                                        "take_inspection",
                                        "inspection_failed",
                                        "say_number_format",
                                        "read_face",
                                        "show_face",
                                        "say_wrong_number",
                                        "fail_blocked",
                                        "say_floor",
                                        "say_bad_format",
                                        "reread_card",
                                        "say_read_failed",
                                        "say_forged",
                                        "remember_person",
                                        "next_instruction",
                                        "previous_instruction",
                                        "take_face_result",
                                        "say_another_person",
                                        "hold_unnamed",
                                        "claim_unnamed",
                                        "drop_unnamed",
                                        "say_late_result",
                                        "open_face_result",
                                        "open_candidate",
                                        "open_new_patient",
                                        "set_overwrite_mode",
                                        "set_show_all",
                                        "toggle_field",
                                        "open_switch_dialog",
                                        "say_not_writable",
                                        "say_nothing_changed",
                                        "say_check_fields",
                                        "apply_overwrite",
                                        "say_switch_date_bad",
                                        "apply_switch",
                                        "close_switch_dialog",
                                        "apply_register",
                                        "apply_fetch_medical_info",
                                        "record_nothing",
                                        "record_check",
                                        "show_done",
                                        "show_refusal",
                                        "open_review",
                                        "forget_visit",
                                        "check_staff",
                                        "inspect_card",
                                        "start_face_wait"};
static_assert(std::size(kActionNames) == size_t(Action::Count_));

// Mermaid state ids: the step names, with ロック's way back as a pseudo-state.
std::string target_id(Target t) {
    if (t == Target::Unlock) return "covered";
    return step_name(Step(uint8_t(t)));
}

std::string label(const Transition& t) {
    std::string s = event_name(t.event);
    if (t.guard != Guard::Always) s += std::string(" [") + guard_name(t.guard) + "]";
    if (t.action != Action::None) s += std::string(" / ") + action_name(t.action);
    return s;
}

}  // namespace

const char* event_name(Event e) { return size_t(e) < std::size(kEventNames) ? kEventNames[size_t(e)] : "?"; }
const char* guard_name(Guard g) { return size_t(g) < std::size(kGuardNames) ? kGuardNames[size_t(g)] : "?"; }
const char* action_name(Action a) { return size_t(a) < std::size(kActionNames) ? kActionNames[size_t(a)] : "?"; }

const char* target_name(Target t) {
    if (t == Target::Stay) return "(stay)";
    if (t == Target::Unlock) return "(the covered step)";
    return step_name(Step(uint8_t(t)));
}

bool is_device_event(Event e) {
    switch (e) {
        case Event::Tick:
        case Event::CardInserted:
        case Event::CardRemoved:
        case Event::CardInspected:
        case Event::FaceRead:
        case Event::FaceResult: return true;
        default: return false;
    }
}

std::string transition_table_markdown() {
    std::ostringstream o;
    o << "| from | event | guard | to | action |\n|---|---|---|---|---|\n";
    for (const Transition& t : transitions()) {
        auto cell = [](const char* s) { return *s ? std::string("`") + s + "`" : std::string(); };
        o << "| " << step_name(t.from) << " | " << cell(event_name(t.event)) << " | " << cell(guard_name(t.guard))
          << " | " << target_name(t.to) << " | " << cell(action_name(t.action)) << " |\n";
    }
    o << "\nOn entry:\n\n| step | action |\n|---|---|\n";
    for (const OnEntry& e : on_entry()) o << "| " << step_name(e.step) << " | `" << action_name(e.action) << "` |\n";
    return o.str();
}

std::string mermaid_state_diagram() {
    std::ostringstream o;
    o << "stateDiagram-v2\n";
    o << "    [*] --> standby\n";
    std::set<std::string> used;
    for (const Transition& t : transitions())
        if (t.to != Target::Stay) used.insert(step_name(t.from)), used.insert(target_id(t.to));
    for (size_t i = 0; i < kStepCount; ++i) {
        const char* id = step_name(Step(i));
        if (used.count(id)) o << "    " << id << " : " << text::ja(step_title(Step(i))) << "\n";
    }
    if (used.count("covered")) o << "    covered : the step under the lock\n";
    // Internal transitions (Stay) are in the table, not in the diagram.
    for (const Transition& t : transitions()) {
        if (t.to == Target::Stay) continue;
        o << "    " << step_name(t.from) << " --> " << target_id(t.to) << " : " << label(t) << "\n";
    }
    return o.str();
}

std::string flow_doc_generated() {
    std::ostringstream o;
    o << kFlowDocBegin << "\n\n";
    o << "Regenerate with `flow_doc --write docs/flow.md` (built by `cmake --build BUILD --target flow_doc`, in "
         "`BUILD/tests/flow/`).\n\n";
    o << "```mermaid\n" << mermaid_state_diagram() << "```\n\n";
    o << transition_table_markdown() << "\n";
    o << kFlowDocEnd << "\n";
    return o.str();
}

}  // namespace onshi::flow
