#pragma once
// A warning or reason: Japanese for the screen, English for logs and the CLI.
#include <string>

namespace onshi::rules {

struct Note {
    std::string ja;
    std::string en;
    bool operator==(const Note&) const = default;
};

}  // namespace onshi::rules
