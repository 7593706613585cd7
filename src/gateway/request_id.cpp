#include "request_id.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
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

std::string new_request_id() {
    std::array<unsigned char, 16> bytes{};
    // RAND_bytes fails only when the system has no entropy to seed it; an id need not be
    // secret, only unique, so the kernel's generator through random_device does then.
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        std::random_device device;
        for (auto& b : bytes) b = static_cast<unsigned char>(device());
    }
    constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xf];
    }
    return out;
}

}  // namespace blubridge::gateway
