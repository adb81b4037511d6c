#include "app/kiosk/script.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace onshi::kiosk {
namespace {
constexpr double kDefaultWait = 10.0;  // seconds a wait or a tap target may take to appear
constexpr int kSettleFrames = 2;       // frames after a tap so the screen reflects it

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r");
    size_t e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}
constexpr double kMaxSeconds = 3600;  // any wait or timeout
constexpr long kMaxFrames = 100000;   // wait frames

std::runtime_error bad_line(int line, const std::string& why) {
    return std::runtime_error("line " + std::to_string(line) + ": " + why);
}
// A whole word as a number (from_chars: no locale, no blanks, no '+'); nullopt when it is not one at all.
std::optional<double> as_number(const std::string& word) {
    double v = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
    if (word.empty() || end != word.data() + word.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) return HUGE_VAL;  // "1e999": a number, out of every range
    if (ec != std::errc()) return std::nullopt;
    return v;
}
double seconds_arg(const std::string& word, const std::string& step, int line) {
    auto v = as_number(word);
    if (!v || !std::isfinite(*v) || *v < 0 || *v > kMaxSeconds)
        throw bad_line(line, "'" + step + "': expected seconds between 0 and " + std::to_string(int(kMaxSeconds)) +
                                 ", got '" + word + "'");
    return *v;
}
long frames_arg(const std::string& word, int line) {
    long v = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
    if (word.empty() || ec != std::errc() || end != word.data() + word.size() || v < 1 || v > kMaxFrames)
        throw bad_line(line, "'wait frames': expected a frame count between 1 and " + std::to_string(kMaxFrames) +
                                 ", got '" + word + "'");
    return v;
}
// Splits "wait screen consent 5" into the rest and an optional trailing timeout. A last word that reads as a
// number (nan and inf included) is the timeout and must be within range; any other word belongs to the text.
void split_trailing_number(std::string& rest, double& number, double fallback, const std::string& step, int line) {
    number = fallback;
    size_t sp = rest.find_last_of(' ');
    if (sp == std::string::npos) return;
    std::string tail = rest.substr(sp + 1);
    if (!as_number(tail)) return;
    number = seconds_arg(tail, step, line);
    rest = trim(rest.substr(0, sp));
}
}  // namespace

std::vector<ScriptStep> parse_script(const std::string& text) {
    std::vector<ScriptStep> steps;
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    while (std::getline(in, raw)) {
        ++line;
        std::string l = trim(raw);
        if (l.empty() || l[0] == '#') continue;
        size_t sp = l.find(' ');
        std::string verb = l.substr(0, sp);
        std::string rest = sp == std::string::npos ? "" : trim(l.substr(sp + 1));
        auto need_arg = [&](const char* what) {
            if (rest.empty())
                throw std::runtime_error("line " + std::to_string(line) + ": '" + verb + "' needs " + what);
        };
        ScriptStep s{ScriptStep::Op::Quit, "", 0, line};
        using Op = ScriptStep::Op;
        if (verb == "tap") {
            need_arg("a widget id or label");
            s.op = Op::Tap;
            s.arg = rest;
        } else if (verb == "pad") {
            need_arg("digits");
            s.op = Op::Pad;
            s.arg = rest;
        } else if (verb == "type") {
            need_arg("text");
            s.op = Op::Type;
            s.arg = rest;
        } else if (verb == "screenshot") {
            need_arg("a name");
            s.op = Op::Screenshot;
            s.arg = rest;
        } else if (verb == "quit") {
            s.op = Op::Quit;
        } else if (verb == "wait" || verb == "assert") {
            size_t sp2 = rest.find(' ');
            std::string kind = rest.substr(0, sp2);
            std::string arg = sp2 == std::string::npos ? "" : trim(rest.substr(sp2 + 1));
            if (verb == "wait" && kind == "frames") {
                s.op = Op::WaitFrames;
                s.number = double(frames_arg(arg.empty() ? "1" : arg, line));
            } else if (verb == "wait" && kind == "seconds") {
                s.op = Op::WaitSeconds;
                s.number = seconds_arg(arg.empty() ? "1" : arg, "wait seconds", line);
            } else if (verb == "wait" && kind == "file") {
                // Another process's signal (tests/e2e: two kiosks, one runner): the path exists.
                if (arg.empty()) throw bad_line(line, "'wait file' needs a path");
                split_trailing_number(arg, s.number, kDefaultWait, "wait file", line);
                s.op = Op::WaitFile;
                s.arg = arg;
            } else if (kind == "screen" || kind == "text" || kind == "no-text") {
                if (arg.empty())
                    throw std::runtime_error("line " + std::to_string(line) + ": '" + verb + " " + kind +
                                             "' needs a value");
                if (verb == "wait") {
                    split_trailing_number(arg, s.number, kDefaultWait, verb + " " + kind, line);
                    s.op = kind == "screen" ? Op::WaitScreen : kind == "text" ? Op::WaitText : Op::WaitNoText;
                } else {
                    s.op = kind == "screen" ? Op::AssertScreen : kind == "text" ? Op::AssertText : Op::AssertNoText;
                }
                s.arg = arg;
            } else {
                throw std::runtime_error("line " + std::to_string(line) + ": unknown " + verb + " kind '" + kind + "'");
            }
        } else {
            throw std::runtime_error("line " + std::to_string(line) + ": unknown step '" + verb + "'");
        }
        steps.push_back(std::move(s));
    }
    return steps;
}

void ScriptRunner::fail(const ScriptStep& s, const std::string& why) {
    failure_ = "script line " + std::to_string(s.line) + ": " + why;
}

void ScriptRunner::next() {
    ++pc_;
    phase_ = 0;
    sub_ = 0;
    started_ = -1;
    frames_ = 0;
}

void ScriptRunner::screenshot_taken(bool ok) {
    if (!shot_) return;
    shot_.reset();
    if (!ok)
        fail(steps_[pc_], "screenshot could not be written");
    else
        next();
}

// Returns true when the tap (press, release, settle) has finished.
bool ScriptRunner::tap(ImGuiIO& io, const FrameRecord& last, const std::string& key, const ScriptStep& s, double now) {
    if (phase_ == 0) {
        const WidgetRect* w = last.find(key);
        if (!w || !w->enabled) {
            if (now - started_ > kDefaultWait)
                fail(s,
                     "no " + std::string(w ? "enabled " : "") + "widget '" + key + "' on screen '" + last.screen + "'");
            return false;
        }
        // Touch-style: the pointer jumps to the target and goes down in the same frame.
        tap_pos_ = ImVec2((w->min.x + w->max.x) * 0.5f, (w->min.y + w->max.y) * 0.5f);
        io.MousePos = tap_pos_;
        io.MouseDown[0] = true;
        phase_ = 1;
        return false;
    }
    if (phase_ == 1) {
        io.MousePos = tap_pos_;  // the platform backend rewrote it from the real pointer
        io.MouseDown[0] = false;
        phase_ = 2;
        return false;
    }
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // the finger has lifted: no hover
    io.MouseDown[0] = false;
    if (++phase_ < 2 + kSettleFrames) return false;
    phase_ = 0;
    return true;
}

bool ScriptRunner::waiting() const {
    if (done()) return false;
    using Op = ScriptStep::Op;
    const Op op = steps_[pc_].op;
    return op == Op::WaitScreen || op == Op::WaitText || op == Op::WaitNoText || op == Op::WaitFile ||
           op == Op::WaitSeconds;
}

void ScriptRunner::before_frame(ImGuiIO& io, const FrameRecord& last, double now) {
    if (done() || shot_) return;
    const ScriptStep& s = steps_[pc_];
    if (started_ < 0) started_ = now;
    using Op = ScriptStep::Op;
    switch (s.op) {
        case Op::Tap:
            if (tap(io, last, s.arg, s, now)) next();
            break;
        case Op::Pad: {
            if (sub_ >= s.arg.size()) {
                next();
                break;
            }
            std::string key = std::string("key:") + s.arg[sub_];
            if (tap(io, last, key, s, now)) {
                ++sub_;
                started_ = now;
            }
            break;
        }
        case Op::Type:
            if (phase_ == 0) {
                io.AddInputCharactersUTF8(s.arg.c_str());
                phase_ = 1;
            } else if (++phase_ > kSettleFrames)
                next();
            break;
        case Op::WaitScreen:
        case Op::WaitText:
        case Op::WaitNoText: {
            bool ok = s.op == Op::WaitScreen ? last.screen == s.arg
                      : s.op == Op::WaitText ? last.shows_text(s.arg)
                                             : !last.shows_text(s.arg) && !last.screen.empty();
            if (ok)
                next();
            else if (now - started_ > s.number)
                fail(s, s.op == Op::WaitScreen ? "screen '" + s.arg + "' did not appear (now '" + last.screen + "')"
                        : s.op == Op::WaitText ? "text '" + s.arg + "' did not appear on '" + last.screen + "'"
                                               : "text '" + s.arg + "' stayed on '" + last.screen + "'");
            break;
        }
        case Op::WaitFile: {
            std::error_code ec;
            if (std::filesystem::exists(s.arg, ec))
                next();
            else if (now - started_ > s.number)
                fail(s, "file '" + s.arg + "' did not appear (screen '" + last.screen + "')");
            break;
        }
        case Op::WaitFrames:
            if (++frames_ > int(s.number)) next();
            break;
        case Op::WaitSeconds:
            if (now - started_ >= s.number) next();
            break;
        case Op::Screenshot: shot_ = s.arg; break;
        case Op::AssertScreen:
            if (last.screen != s.arg)
                fail(s, "expected screen '" + s.arg + "', showing '" + last.screen + "'");
            else
                next();
            break;
        case Op::AssertText:
            if (!last.shows_text(s.arg))
                fail(s, "text '" + s.arg + "' is not on screen '" + last.screen + "'");
            else
                next();
            break;
        case Op::AssertNoText:
            if (last.shows_text(s.arg))
                fail(s, "text '" + s.arg + "' is still on screen '" + last.screen + "'");
            else
                next();
            break;
        case Op::Quit: pc_ = steps_.size(); break;
    }
}

}  // namespace onshi::kiosk
