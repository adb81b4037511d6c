#include "core/oqs/element.hpp"

#include "core/oqs/error.hpp"

namespace onshi::oqs {

const Element* Element::child(std::string_view n) const {
    for (const auto& c : children)
        if (c.name == n) return &c;
    return nullptr;
}

std::vector<const Element*> Element::all(std::string_view n) const {
    std::vector<const Element*> out;
    for (const auto& c : children)
        if (c.name == n) out.push_back(&c);
    return out;
}

std::string Element::text_of(std::string_view n) const {
    const Element* c = child(n);
    return c ? c->text : std::string();
}

Element& Element::add(std::string n, std::string t) {
    children.push_back(Element{std::move(n), std::move(t), {}});
    return children.back();
}

const char* to_string(ErrorKind k) {
    switch (k) {
        case ErrorKind::TooLarge: return "too_large";
        case ErrorKind::Encoding: return "encoding";
        case ErrorKind::Malformed: return "malformed";
        case ErrorKind::Mismatch: return "mismatch";
        case ErrorKind::Rejected: return "rejected";
        case ErrorKind::Io: return "io";
        case ErrorKind::Usage: return "usage";
    }
    return "unknown";
}

}  // namespace onshi::oqs
