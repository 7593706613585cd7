#include "credentials.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

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

std::optional<std::string> read_secret(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir,
                                       std::string_view prefix, bool required) {
    const std::string env_key = std::string(prefix) + "_env";
    const std::string file_key = std::string(prefix) + "_file";
    const std::string credential_key = std::string(prefix) + "_credential";
    const auto env = r.text(node, env_key.c_str());
    const auto file = r.text(node, file_key.c_str());
    const auto credential = r.text(node, credential_key.c_str());
    const int given = int(bool(env)) + int(bool(file)) + int(bool(credential));
    if (given > 1 || (required && given == 0)) {
        r.problem(node, std::string(required ? "give exactly one of '" : "give at most one of '") + env_key +
                            "', '" + file_key + "', '" + credential_key + "'");
        return std::nullopt;
    }
    if (given == 0) return std::nullopt;
    if (env) {
        const char* value = std::getenv(env->c_str());
        if (value == nullptr || *value == '\0') {
            r.problem(node[env_key], "environment variable " + *env + " is not set");
            return std::nullopt;
        }
        return std::string(value);
    }
    const auto& key = file ? file_key : credential_key;
    const auto path = file ? std::optional(dir / *file) : credential_path(r, node, key.c_str(), *credential);
    if (!path) return std::nullopt;
    std::ifstream in(*path);
    std::ostringstream content;
    if (!in || !(content << in.rdbuf())) {
        r.problem(node[key], "cannot read " + path->string());
        return std::nullopt;
    }
    std::string secret = content.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.empty()) {
        r.problem(node[key], path->string() + " is empty");
        return std::nullopt;
    }
    return secret;
}

}  // namespace blubridge::config::detail
