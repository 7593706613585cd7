#include "record_memo.hpp"

#include <functional>

namespace blubridge::directory {

std::size_t record_memo::slot_of(std::string_view json) { return std::hash<std::string_view>{}(json) % slots; }

std::optional<customer_entry> record_memo::find(std::string_view json) const {
    if (json.empty() || json.size() > max_text) return std::nullopt;
    const auto& s = slots_[slot_of(json)];
    std::lock_guard lock(s.mutex);
    if (s.text != json) return std::nullopt;
    hits_.fetch_add(1, std::memory_order_relaxed);
    customer_entry read;
    read.id = s.id;
    read.fingerprint = s.fingerprint;
    read.flags = s.flags;
    return read;
}

void record_memo::remember(std::string_view json, const customer_entry& read) {
    if (json.empty() || json.size() > max_text) return;
    auto& s = slots_[slot_of(json)];
    std::lock_guard lock(s.mutex);
    s.text.assign(json);  // reuses the slot's capacity
    s.id = read.id;
    s.fingerprint = read.fingerprint;
    s.flags = read.flags;
}

}  // namespace blubridge::directory
