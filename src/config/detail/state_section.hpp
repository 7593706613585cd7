#pragma once
#include "yaml_reader.hpp"

#include <blubridge/config/gateway_config.hpp>

#include <filesystem>

namespace blubridge::config::detail {

/// Reads `state:` (`node`; the defaults, SQLite in `state_dir`, when absent) into `state`.
/// `backend: postgresql` needs `postgresql.conninfo`, which libpq must parse and which must
/// hold no password (nor any other value libpq treats as secret); the password comes from at
/// most one of `password_env`, `password_file` (relative to `dir`) and `password_credential`.
/// `postgresql:` with another backend is a problem. No problem message quotes a password.
void read_state(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir, state_settings& state);

}  // namespace blubridge::config::detail
