#pragma once
#include <blubridge/http/server_limits.hpp>
#include <blubridge/upstream/client_options.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace blubridge::config {

/// The Billagain account a gateway client's requests are made with.
struct billagain_account {
    std::string account_id;
    /// The API key, read at load time from the environment variable or file the YAML
    /// names (e.g. a systemd credential); never written in the YAML itself.
    std::string api_key;
};

/// A legacy integration allowed to call the gateway with HTTP Basic authentication.
struct client_entry {
    std::string username;
    /// `pbkdf2-sha256$<iterations>$<salt base64>$<key base64>`; see auth/password_hash.hpp.
    std::string password_hash;
    billagain_account billagain;
};

/// Everything `config/*.yaml` says. Immutable once loaded; a reload builds a new one.
struct gateway_config {
    std::filesystem::path source;       ///< the file it was read from
    std::string listen_address = "127.0.0.1";
    unsigned short listen_port = 8080;
    unsigned threads = 0;               ///< 0: one per core
    std::filesystem::path mappings_dir; ///< resolved against the config file's folder
    std::filesystem::path state_dir;    ///< resolved against the config file's folder
    http_server::server_limits limits;
    upstream::client_options upstream;
    std::vector<client_entry> clients;
};

}  // namespace blubridge::config
