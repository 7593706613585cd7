#pragma once
#include "yaml_reader.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace blubridge::config::detail {

/// Where systemd put credential `name` (LoadCredential= fills $CREDENTIALS_DIRECTORY), or
/// nullopt with a problem reported at `node[key]` when the variable is not set.
std::optional<std::filesystem::path> credential_path(yaml_reader& r, const YAML::Node& node, const char* key,
                                                     const std::string& name);

}  // namespace blubridge::config::detail
