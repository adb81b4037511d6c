#pragma once
// The XML of an OQS file as a plain tree: element names and leaf texts (already UTF-8).
// Messages are read from and written to this tree; `onshi oqs parse` prints it as JSON.
#include <string>
#include <string_view>
#include <vector>

namespace onshi::oqs {

struct Element {
    std::string name;
    std::string text;  // leaf text, kept verbatim (insurer numbers are space-padded)
    std::vector<Element> children;

    bool leaf() const { return children.empty(); }
    const Element* child(std::string_view n) const;
    std::vector<const Element*> all(std::string_view n) const;
    std::string text_of(std::string_view n) const;  // "" when absent
    Element& add(std::string n, std::string t = {});
    bool operator==(const Element&) const = default;
};

}  // namespace onshi::oqs
