#pragma once
// Text: one leaf of an OQS message, absent or a UTF-8 string ("absent" differs from "empty"). It reads like
// std::optional<std::string>, but its value is a std::string_view and it takes 16 bytes, not 40: texts of
// up to 15 bytes (codes, dates, numbers: nearly every leaf) sit inside it, longer ones in one heap block.
// A 10,000-unit bulk answer holds about 900,000 of them, so their size is most of the parse's memory
// traffic (docs/performance.md, "OQS, 16-byte texts").
#include <compare>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace onshi::oqs {

// The value of a Text: a string_view that also becomes a std::string where one is wanted, and joins
// strings with +, as the std::string of a std::optional<std::string> did.
class TextValue : public std::string_view {
public:
    constexpr TextValue() noexcept = default;
    constexpr TextValue(std::string_view v) noexcept : std::string_view(v) {}
    operator std::string() const { return std::string(data(), size()); }
    std::string str() const { return std::string(data(), size()); }
    friend std::string operator+(std::string a, TextValue b) { return a.append(b.data(), b.size()); }
    friend std::string operator+(TextValue a, const std::string& b) { return a.str() + b; }
    friend std::string operator+(const char* a, TextValue b) { return std::string(a).append(b.data(), b.size()); }
    friend std::string operator+(TextValue a, const char* b) { return a.str() + b; }
};

class Text {
public:
    Text() noexcept { raw_[kTag] = kAbsent; }
    Text(std::nullopt_t) noexcept : Text() {}
    Text(std::string_view v) { set(v); }
    Text(const char* v) { set(v); }
    Text(const std::string& v) { set(v); }
    Text(const std::optional<std::string>& v) : Text() {
        if (v) set(*v);
    }
    Text(const Text& o) : Text() {
        if (o) set(o.view());
    }
    Text(Text&& o) noexcept {
        std::memcpy(raw_, o.raw_, sizeof raw_);
        o.raw_[kTag] = kAbsent;
    }
    Text& operator=(const Text& o) {
        if (this == &o) return *this;
        if (!o) {
            reset();
            return *this;
        }
        return assign(o.view());
    }
    Text& operator=(Text&& o) noexcept {
        if (this != &o) {
            free_heap();
            std::memcpy(raw_, o.raw_, sizeof raw_);
            o.raw_[kTag] = kAbsent;
        }
        return *this;
    }
    Text& operator=(std::nullopt_t) noexcept {
        reset();
        return *this;
    }
    Text& operator=(std::string_view v) { return assign(v); }
    Text& operator=(const char* v) { return assign(v); }
    Text& operator=(const std::string& v) { return assign(v); }
    ~Text() { free_heap(); }

    bool has_value() const noexcept { return raw_[kTag] != kAbsent; }
    explicit operator bool() const noexcept { return has_value(); }
    // The value; like std::optional, only when there is one.
    TextValue operator*() const noexcept { return view(); }
    struct Arrow {  // t->size(), t->substr(…): members of the value's string_view
        TextValue v;
        const TextValue* operator->() const noexcept { return &v; }
    };
    Arrow operator->() const noexcept { return {view()}; }
    TextValue value() const;  // throws std::bad_optional_access when absent
    std::string value_or(std::string_view otherwise) const { return std::string(has_value() ? view() : otherwise); }
    std::string_view view() const noexcept {  // "" when absent
        const unsigned char tag = raw_[kTag];
        if (tag <= kInline) return {reinterpret_cast<const char*>(raw_), tag};
        if (tag == kHeap) return {heap_ptr(), heap_size()};
        return {};
    }

    Text& emplace(std::string_view v = {}) {  // as std::optional: v must not point into this text
        free_heap();
        set(v);
        return *this;
    }
    void reset() noexcept { free_heap(); }

    friend bool operator==(const Text& a, const Text& b) noexcept {
        return a.has_value() == b.has_value() && a.view() == b.view();
    }
    friend bool operator==(const Text& a, std::string_view b) noexcept { return a.has_value() && a.view() == b; }
    friend bool operator==(const Text& a, const char* b) noexcept { return a == std::string_view(b); }
    friend bool operator==(const Text& a, const std::string& b) noexcept { return a == std::string_view(b); }
    friend bool operator==(const Text& a, std::nullopt_t) noexcept { return !a.has_value(); }
    // As std::optional orders: absent first, then by value.
    friend std::strong_ordering operator<=>(const Text& a, const Text& b) noexcept {
        if (a.has_value() != b.has_value())
            return a.has_value() ? std::strong_ordering::greater : std::strong_ordering::less;
        return a.view() <=> b.view();
    }

private:
    static constexpr int kTag = 15;
    static constexpr unsigned char kInline = 15, kHeap = 0xFE, kAbsent = 0xFF;

    Text& assign(std::string_view v) {
        if (raw_[kTag] == kHeap && v.size() == heap_size() && v.size() > 0) {  // same length: reuse the block
            std::memmove(heap_ptr(), v.data(), v.size());
            return *this;
        }
        Text t(v);  // v may point into this text
        return *this = std::move(t);
    }
    void set(std::string_view v) {  // on an absent or freed text
        if (v.size() > kInline) return set_heap(v);
        if (!v.empty()) std::memcpy(raw_, v.data(), v.size());
        raw_[kTag] = static_cast<unsigned char>(v.size());
    }
    void set_heap(std::string_view v);
    void free_heap() noexcept {  // and leaves the text absent
        if (raw_[kTag] == kHeap) release();
        raw_[kTag] = kAbsent;
    }
    void release() noexcept;  // frees the heap block
    char* heap_ptr() const noexcept {
        char* p;
        std::memcpy(&p, raw_, sizeof p);
        return p;
    }
    std::uint32_t heap_size() const noexcept {
        std::uint32_t n;
        std::memcpy(&n, raw_ + sizeof(char*), sizeof n);
        return n;
    }

    // Inline: the bytes, then their count in raw_[15] (0–15). Heap: the block's address, then its size
    // (uint32), then kHeap in raw_[15]. Absent: kAbsent in raw_[15].
    alignas(8) unsigned char raw_[16];
};

std::ostream& operator<<(std::ostream& os, const Text& t);  // the value, or "(absent)"

}  // namespace onshi::oqs
