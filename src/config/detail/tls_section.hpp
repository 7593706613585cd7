#pragma once
#include "yaml_reader.hpp"

#include <blubridge/config/gateway_config.hpp>
#include <blubridge/http/tls_settings.hpp>

#include <filesystem>

namespace blubridge::config::detail {

/// Reads `tls:` (`node`; nothing when absent) into `tls`: the certificate chain, key and
/// optional client CA, each a file (relative to `dir`) or a systemd credential. The files
/// are loaded as the listener will load them, so an unreadable or non-PEM file or a key
/// that does not match its certificate is a problem here (and so for --check-config).
void read_tls(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir,
              http_server::tls_settings& tls);

/// Reports a plain-HTTP `listen:` that is not loopback, unless `allow_plain_http` says a
/// TLS proxy is in front: legacy clients send Basic credentials with every request.
void check_plain_http(yaml_reader& r, const YAML::Node& root, const gateway_config& cfg);

}  // namespace blubridge::config::detail
