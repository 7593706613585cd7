#pragma once
#include <blubridge/config/gateway_config.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace blubridge::config {

/// One problem in a configuration file, located by yaml-cpp's marks (1-based).
struct config_problem {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;

    /// `file:line:column: message`.
    std::string to_string() const;
};

/// Thrown by `load_gateway_config`; `what()` lists every problem, one per line.
class config_error : public std::runtime_error {
public:
    explicit config_error(std::vector<config_problem> problems);
    const std::vector<config_problem>& problems() const noexcept { return problems_; }

private:
    std::vector<config_problem> problems_;
};

/// Reads and validates a gateway configuration file: unknown keys, wrong types, bad
/// durations and sizes, missing secrets are all reported together, each with its
/// position. Durations are written `250ms`, `10s` or `2m`; sizes `8KiB`, `1MiB` or bytes.
/// Relative paths are resolved against the file's folder. Throws `config_error`.
std::shared_ptr<const gateway_config> load_gateway_config(const std::filesystem::path& file);

}  // namespace blubridge::config
