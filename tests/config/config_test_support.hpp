#pragma once
// What the configuration tests share: a scratch folder, a valid configuration to start from,
// and the problems a load reports.
#include <blubridge/auth/password_hash.hpp>
#include <blubridge/config/load_config.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace config_test {

namespace cfg = blubridge::config;
namespace fs = std::filesystem;

/// A scratch folder with a mappings/ subfolder, removed afterwards.
struct scratch {
    fs::path dir = fs::temp_directory_path() / ("blubridge-config-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(std::rand()));
    scratch() { fs::create_directories(dir / "mappings"); }
    ~scratch() { fs::remove_all(dir); }

    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return dir / name;
    }
};

inline std::string hash() { return blubridge::auth::hash_password("pw", 1000).to_string(); }

/// 19 lines; its client's API key is read from key.txt in the configuration's folder.
inline std::string valid_yaml() {
    return "listen: 127.0.0.1:9090\n"
           "threads: 3\n"
           "mappings: mappings\n"
           "limits:\n"
           "  header_timeout: 250ms\n"
           "  body_limit: 2MiB\n"
           "  header_limit: 16KiB\n"
           "  max_connections: 50\n"
           "upstream:\n"
           "  base_url: http://127.0.0.1:8081\n"
           "  request_timeout: 2m\n"
           "  retry:\n"
           "    get_attempts: 3\n"
           "clients:\n"
           "  - username: legacy\n"
           "    password_hash: " + hash() + "\n"
           "    billagain:\n"
           "      account: \"1001\"\n"
           "      api_key_file: key.txt\n";
}

/// Every problem loading `file` reports; none if it loads.
inline std::vector<cfg::config_problem> problems_of(const fs::path& file) {
    try {
        cfg::load_gateway_config(file);
    } catch (const cfg::config_error& e) {
        return e.problems();
    }
    return {};
}

/// Whether a problem at `line` says `text`.
inline bool mentions(const std::vector<cfg::config_problem>& ps, int line, const std::string& text) {
    for (const auto& p : ps) {
        if (p.line == line && p.message.find(text) != std::string::npos) return true;
    }
    return false;
}

inline int lines_of(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace config_test
