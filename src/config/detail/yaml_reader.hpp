#pragma once
#include <blubridge/config/load_config.hpp>

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::config::detail {

/// Typed reads from a YAML document that collect every problem with its position
/// instead of stopping at the first.
class yaml_reader {
public:
    explicit yaml_reader(std::string file) : file_(std::move(file)) {}

    void problem(const YAML::Node& at, std::string message);
    void problem(std::string message);  // about the whole file
    const std::vector<config_problem>& problems() const { return problems_; }

    /// Reports keys of `map` that are not in `allowed` (typos must not pass silently).
    /// False if `map` is not a mapping.
    bool expect_map(const YAML::Node& map, std::string_view what,
                    std::initializer_list<std::string_view> allowed);

    std::optional<std::string> text(const YAML::Node& map, const char* key, bool required = false);
    std::optional<std::uint64_t> number(const YAML::Node& map, const char* key,
                                        std::uint64_t min, std::uint64_t max);
    std::optional<bool> flag(const YAML::Node& map, const char* key);
    /// `250ms`, `10s`, `2m`.
    std::optional<std::chrono::milliseconds> duration(const YAML::Node& map, const char* key);
    /// `8KiB`, `1MiB`, or a plain byte count.
    std::optional<std::uint64_t> size(const YAML::Node& map, const char* key);

private:
    std::string file_;
    std::vector<config_problem> problems_;
};

}  // namespace blubridge::config::detail
