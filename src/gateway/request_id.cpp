#include "request_id.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <random>

namespace blubridge::gateway {

namespace {

constexpr std::size_t max_offered = 128;

bool safe(unsigned char c) { return std::isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-'; }

}  // namespace

std::string request_id_for(std::string_view offered) {
    const bool usable = !offered.empty() && offered.size() <= max_offered &&
                        std::all_of(offered.begin(), offered.end(), [](char c) { return safe(static_cast<unsigned char>(c)); });
    return usable ? std::string(offered) : new_request_id();
}

namespace {

// 64 random bits, from OpenSSL's generator (or the kernel's through random_device, when it
// has no entropy to seed it: an id need not be secret, only unique).
std::uint64_t random_word() {
    std::array<unsigned char, 8> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        std::random_device device;
        for (auto& b : bytes) b = static_cast<unsigned char>(device());
    }
    std::uint64_t w = 0;
    for (auto b : bytes) w = (w << 8) | b;
    return w;
}

// SplitMix64's finaliser: a bijection, so distinct counters give distinct words.
std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void append_hex(std::string& out, std::uint64_t w) {
    constexpr char digits[] = "0123456789abcdef";
    for (int shift = 60; shift >= 0; shift -= 4) out += digits[(w >> shift) & 0xf];
}

}  // namespace

std::string new_request_id() {
    // Per thread: a random 64-bit prefix drawn once and a counter run through a bijection, so
    // ids never repeat within a thread and collide across threads or processes only if two
    // random prefixes do. One OpenSSL draw per thread, not per request (it showed in profiles).
    thread_local const std::uint64_t prefix = random_word();
    thread_local std::uint64_t counter = random_word();
    std::string out;
    out.reserve(32);
    append_hex(out, prefix);
    append_hex(out, mix(++counter));
    return out;
}

}  // namespace blubridge::gateway
