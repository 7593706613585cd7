#include "state_section.hpp"

#include "credentials.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::config::detail {

namespace {

const std::string_view uri_schemes[] = {"postgresql://", "postgres://"};

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// The `user:password@host` part of a postgresql:// URI; empty for a key=value string.
std::string_view uri_authority(std::string_view conninfo) {
    for (const auto scheme : uri_schemes) {
        if (conninfo.size() >= scheme.size() && lowercase(conninfo.substr(0, scheme.size())) == scheme) {
            const auto rest = conninfo.substr(scheme.size());
            return rest.substr(0, rest.find_first_of("/?"));
        }
    }
    return {};
}

bool uri_has_password(std::string_view conninfo) {
    const auto authority = uri_authority(conninfo);
    const auto at = authority.rfind('@');
    return at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos;
}

// Whether a conninfo libpq could not parse may hold a password: libpq's complaint quotes the
// token it stopped at (`missing "=" after "secret"`, a whole malformed URI), so it is not shown.
bool may_hold_password(std::string_view conninfo) {
    const auto lower = lowercase(conninfo);
    if (lower.find("password") != std::string::npos || uri_has_password(conninfo)) return true;
    // A percent-encoded query keyword could spell `password`.
    const bool uri = !uri_authority(conninfo).empty();
    return uri && lower.find('?') != std::string::npos && lower.find('%', lower.find('?')) != std::string::npos;
}

constexpr const char* password_advice = ": give it with 'password_file', 'password_env' or 'password_credential'";

// Whether libpq parses `conninfo` and it holds no secret; a problem at `at` otherwise.
void check_conninfo(yaml_reader& r, const YAML::Node& at, const std::string& conninfo) {
    char* error = nullptr;
    const std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
    const std::unique_ptr<char, decltype(&PQfreemem)> error_text(error, &PQfreemem);
    if (!options) {
        if (may_hold_password(conninfo)) {
            r.problem(at, "'conninfo' is not a valid libpq connection string (libpq's message is not shown: "
                          "it could quote a password, which does not belong there either)");
            return;
        }
        std::string message = error ? error : "out of memory";
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        r.problem(at, "'conninfo' is not a valid libpq connection string: " + message);
        return;
    }
    // libpq marks the options it never displays (password, sslpassword) with dispchar "*".
    for (const auto* option = options.get(); option->keyword != nullptr; ++option) {
        if (option->val == nullptr || option->dispchar == nullptr || std::string_view(option->dispchar) != "*") {
            continue;
        }
        const std::string_view keyword = option->keyword;
        if (keyword == "password" && uri_has_password(conninfo)) {
            r.problem(at, std::string("'conninfo' must not hold a password (user:password@ in the URI)") +
                              password_advice);
        } else if (keyword == "password") {
            r.problem(at, std::string("'conninfo' must not hold a password ('password=')") + password_advice);
        } else {
            r.problem(at, "'conninfo' must not hold '" + std::string(keyword) +
                              "=' (a secret): use a client key that is not encrypted, readable by the gateway only");
        }
    }
}

// The key node `key` of `map` (its own line), or `map` when it has none.
YAML::Node key_of(const YAML::Node& map, std::string_view key) {
    for (const auto& item : map) {
        if (item.first.IsScalar() && item.first.Scalar() == key) return item.first;
    }
    return map;
}

void read_postgresql(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir, state_settings& s) {
    if (!r.expect_map(node, "state.postgresql", {"conninfo", "password_env", "password_file", "password_credential"})) {
        return;
    }
    if (auto v = r.text(node, "conninfo", true)) {
        if (v->find_first_not_of(" \t\r\n") == std::string::npos) r.problem(node["conninfo"], "'conninfo' is empty");
        else check_conninfo(r, node["conninfo"], *v);
        s.conninfo = std::move(*v);
    }
    if (auto password = read_secret(r, node, dir, "password", false)) s.password = std::move(*password);
}

}  // namespace

void read_state(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir, state_settings& state) {
    if (!node) return;
    if (!r.expect_map(node, "state", {"backend", "postgresql"})) return;
    if (auto v = r.text(node, "backend")) {
        if (*v == "sqlite") {
            state.backend = state_settings::kind::sqlite;
        } else if (*v == "postgresql") {
            state.backend = state_settings::kind::postgresql;
        } else {
            r.problem(node["backend"], "'backend' must be sqlite or postgresql");
            return;
        }
    }
    const auto postgresql = node["postgresql"];
    if (state.backend != state_settings::kind::postgresql) {
        if (postgresql) r.problem(key_of(node, "postgresql"), "'postgresql' is read only with backend: postgresql");
        return;
    }
    if (!postgresql) {
        r.problem(node["backend"], "backend: postgresql needs 'postgresql' with 'conninfo'");
        return;
    }
    read_postgresql(r, postgresql, dir, state);
}

}  // namespace blubridge::config::detail
