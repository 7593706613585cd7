#pragma once
#include "yaml_reader.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::config::detail {

/// Where systemd put credential `name` (LoadCredential= fills $CREDENTIALS_DIRECTORY), or
/// nullopt with a problem reported at `node[key]` when the variable is not set.
std::optional<std::filesystem::path> credential_path(yaml_reader& r, const YAML::Node& node, const char* key,
                                                     const std::string& name);

/// The secret `node` names, never the secret itself: `<prefix>_env` (an environment
/// variable), `<prefix>_file` (a file, relative to `dir`) or `<prefix>_credential` (a
/// systemd credential). At most one of the three; exactly one when `required`. A file's
/// trailing newlines are dropped. An unset or empty variable, an unreadable or empty file is
/// a problem at its key (naming the variable or path, never the value). Nullopt when none is
/// given or on a problem.
std::optional<std::string> read_secret(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir,
                                       std::string_view prefix, bool required);

}  // namespace blubridge::config::detail
