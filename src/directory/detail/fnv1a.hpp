#pragma once
// FNV-1a, 64 bits: tiny, dependency-free and stable across runs and builds, which the
// persisted fingerprints need (std::hash promises neither).
#include <cstdint>
#include <string_view>

namespace blubridge::directory::detail {

class fnv1a {
public:
    void add(char c) { state_ = (state_ ^ static_cast<unsigned char>(c)) * prime; }
    void add(std::string_view s) {
        for (char c : s) add(c);
    }
    std::uint64_t value() const { return state_; }

private:
    static constexpr std::uint64_t prime = 0x100000001b3ULL;
    std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

inline std::uint64_t fnv1a_hash(std::string_view s) {
    fnv1a h;
    h.add(s);
    return h.value();
}

}  // namespace blubridge::directory::detail
