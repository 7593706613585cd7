#include "credentials.hpp"

#include <cstdlib>

namespace blubridge::config::detail {

std::optional<std::filesystem::path> credential_path(yaml_reader& r, const YAML::Node& node, const char* key,
                                                     const std::string& name) {
    const char* creds = std::getenv("CREDENTIALS_DIRECTORY");
    if (creds == nullptr) {
        r.problem(node[key], "CREDENTIALS_DIRECTORY is not set (not started by systemd with LoadCredential=)");
        return std::nullopt;
    }
    return std::filesystem::path(creds) / name;
}

}  // namespace blubridge::config::detail
