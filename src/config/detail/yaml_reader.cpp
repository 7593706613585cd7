#include "yaml_reader.hpp"

#include <algorithm>
#include <charconv>

namespace blubridge::config::detail {

namespace {

// A non-negative integer followed by one of `units`; the multiplier of the unit found.
struct unit {
    std::string_view suffix;
    std::uint64_t factor;
};

std::optional<std::uint64_t> scaled(std::string_view text, std::initializer_list<unit> units) {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr == text.data()) return std::nullopt;
    const std::string_view suffix(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
    for (const auto& u : units) {
        if (suffix == u.suffix) {
            if (value > UINT64_MAX / u.factor) return std::nullopt;
            return value * u.factor;
        }
    }
    return std::nullopt;
}

}  // namespace

void yaml_reader::problem(const YAML::Node& at, std::string message) {
    const auto mark = at.Mark();
    problems_.push_back({file_, mark.line + 1, mark.column + 1, std::move(message)});
}

void yaml_reader::problem(std::string message) { problems_.push_back({file_, 0, 0, std::move(message)}); }

bool yaml_reader::expect_map(const YAML::Node& map, std::string_view what,
                             std::initializer_list<std::string_view> allowed) {
    if (!map.IsMap()) {
        problem(map, std::string(what) + " must be a mapping");
        return false;
    }
    for (const auto& item : map) {
        const auto key = item.first.as<std::string>();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            problem(item.first, "unknown key '" + key + "' in " + std::string(what));
        }
    }
    return true;
}

std::optional<std::string> yaml_reader::text(const YAML::Node& map, const char* key, bool required) {
    const auto node = map[key];
    if (!node) {
        if (required) problem(map, std::string("missing required key '") + key + "'");
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        problem(node, std::string("'") + key + "' must be a string");
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<std::uint64_t> yaml_reader::number(const YAML::Node& map, const char* key,
                                                 std::uint64_t min, std::uint64_t max) {
    auto raw = text(map, key);
    if (!raw) return std::nullopt;
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
    if (ec != std::errc{} || ptr != raw->data() + raw->size() || value < min || value > max) {
        problem(map[key], std::string("'") + key + "' must be a whole number from " +
                              std::to_string(min) + " to " + std::to_string(max));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> yaml_reader::flag(const YAML::Node& map, const char* key) {
    auto raw = text(map, key);
    if (!raw) return std::nullopt;
    if (*raw == "true") return true;
    if (*raw == "false") return false;
    problem(map[key], std::string("'") + key + "' must be true or false");
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> yaml_reader::duration(const YAML::Node& map, const char* key) {
    auto raw = text(map, key);
    if (!raw) return std::nullopt;
    auto ms = scaled(*raw, {{"ms", 1}, {"s", 1000}, {"m", 60'000}});
    if (!ms || *ms == 0) {
        problem(map[key], std::string("'") + key + "' must be a positive duration such as 250ms, 10s or 2m");
        return std::nullopt;
    }
    return std::chrono::milliseconds(*ms);
}

std::optional<std::uint64_t> yaml_reader::size(const YAML::Node& map, const char* key) {
    auto raw = text(map, key);
    if (!raw) return std::nullopt;
    auto bytes = scaled(*raw, {{"", 1}, {"B", 1}, {"KiB", 1024}, {"MiB", 1024 * 1024}});
    if (!bytes || *bytes == 0) {
        problem(map[key], std::string("'") + key + "' must be a positive size such as 8KiB, 1MiB or 4096");
        return std::nullopt;
    }
    return bytes;
}

}  // namespace blubridge::config::detail
