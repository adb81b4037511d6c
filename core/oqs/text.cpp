#include "core/oqs/text.hpp"

#include <limits>
#include <ostream>
#include <stdexcept>

namespace onshi::oqs {

void Text::set_heap(std::string_view v) {
    if (v.size() > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("Text: longer than 4 GiB");
    char* p = new char[v.size()];
    std::memcpy(p, v.data(), v.size());
    const auto n = static_cast<std::uint32_t>(v.size());
    std::memcpy(raw_, &p, sizeof p);
    std::memcpy(raw_ + sizeof p, &n, sizeof n);
    raw_[kTag] = kHeap;
}

void Text::release() noexcept { delete[] heap_ptr(); }

TextValue Text::value() const {
    if (!has_value()) throw std::bad_optional_access();
    return view();
}

std::ostream& operator<<(std::ostream& os, const Text& t) { return t ? os << t.view() : os << "(absent)"; }

}  // namespace onshi::oqs
