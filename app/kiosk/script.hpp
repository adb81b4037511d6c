#pragma once
// The UI script driver (docs/ui-script.md): drives the kiosk through the same input path as a finger,
// with a real window under Xvfb or without any window in the GPU-less harness.
#include <optional>
#include <string>
#include <vector>

#include "app/kiosk/ui.hpp"

namespace onshi::kiosk {

struct ScriptStep {
    enum class Op {
        Tap,
        Pad,
        Type,
        WaitScreen,
        WaitText,
        WaitNoText,
        WaitFile,
        WaitFrames,
        WaitSeconds,
        Screenshot,
        AssertScreen,
        AssertText,
        AssertNoText,
        Quit
    };
    Op op;
    std::string arg;
    double number = 0;  // timeout in seconds, frame count …
    int line = 0;
};

// Parses the step format; throws std::runtime_error("line N: …") on a malformed line.
std::vector<ScriptStep> parse_script(const std::string& text);

class ScriptRunner {
public:
    explicit ScriptRunner(std::vector<ScriptStep> steps) : steps_(std::move(steps)) {}

    // Called once a frame after the platform's NewFrame and before ImGui::NewFrame():
    // writes io.MousePos / MouseDown / characters for the current step, using the last complete frame.
    void before_frame(ImGuiIO& io, const FrameRecord& last, double now);
    // A screenshot the platform should take after rendering this frame (file stem only).
    std::optional<std::string> screenshot_request() const { return shot_; }
    void screenshot_taken(bool ok);

    bool done() const { return pc_ >= steps_.size() || failed(); }
    // The current step waits for a screen, a text, a file or time (not for a frame count): nothing to act on.
    bool waiting() const;
    bool failed() const { return failure_.has_value(); }
    const std::string& failure() const { return *failure_; }
    size_t steps_run() const { return pc_; }

private:
    void fail(const ScriptStep& s, const std::string& why);
    void next();
    bool tap(ImGuiIO& io, const FrameRecord& last, const std::string& key, const ScriptStep& s, double now);

    std::vector<ScriptStep> steps_;
    size_t pc_ = 0;
    int phase_ = 0;   // per-step progress (tap: 0 find+press, 1 release, 2.. settle)
    size_t sub_ = 0;  // index inside Pad/Type text
    ImVec2 tap_pos_;
    double started_ = -1;  // when the current step began waiting
    int frames_ = 0;
    std::optional<std::string> shot_;
    std::optional<std::string> failure_;
};

}  // namespace onshi::kiosk
