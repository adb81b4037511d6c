#pragma once
// The keys a config file may hold, with the Japanese name the screen shows. One list, used both to read
// values and to reject unknown keys, so the two can never disagree.
#include <string>
#include <string_view>
#include <vector>

namespace onshi::config {

struct Key {
    std::string_view section;
    std::string_view name;
    std::string_view ja;  // what the clinic calls it
    std::string path() const { return std::string(section) + "." + std::string(name); }
};

// Every key a config file may hold (the retired ones are apart, below).
const std::vector<Key>& keys();
// The key; throws std::logic_error for a name not in the list (a programming error, caught by the tests).
const Key& key(std::string_view section, std::string_view name);
const Key* find_key(std::string_view section, std::string_view name);
// A key older files may hold that is read past and ignored (schema.cpp says why each one retired).
const Key* find_retired_key(std::string_view section, std::string_view name);
bool is_section(std::string_view section);
// " (did you mean 'x'?)" when a known key is within two edits of `name` (or of `section` when name is empty).
std::string suggestion(std::string_view section, std::string_view name);

}  // namespace onshi::config
