#include "tls_section.hpp"

#include "credentials.hpp"

#include <blubridge/http/tls_context.hpp>

#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>

#include <fstream>
#include <optional>
#include <string>

namespace blubridge::config::detail {

namespace {

// A PEM file of `tls:`, named by exactly one of `<what>_file` (relative to the config
// folder) and `<what>_credential` (a systemd credential); `required` or not at all.
std::optional<std::filesystem::path> read_pem_location(yaml_reader& r, const YAML::Node& node, const std::string& what,
                                                       const std::filesystem::path& dir, bool required) {
    const std::string file_key = what + "_file";
    const std::string credential_key = what + "_credential";
    const auto file = r.text(node, file_key.c_str());
    const auto credential = r.text(node, credential_key.c_str());
    if (file && credential) {
        r.problem(node[credential_key], "give either '" + file_key + "' or '" + credential_key + "', not both");
        return std::nullopt;
    }
    if (!file && !credential) {
        if (required) r.problem(node, "'tls' needs '" + file_key + "' or '" + credential_key + "'");
        return std::nullopt;
    }
    const auto path = file ? std::optional((dir / *file).lexically_normal())
                           : credential_path(r, node, credential_key.c_str(), *credential);
    if (path && !std::ifstream(*path)) {
        r.problem(node[file ? file_key : credential_key], "cannot read " + path->string());
        return std::nullopt;
    }
    return path;
}

bool is_loopback(const std::string& address) {
    if (auto v4 = boost::urls::parse_ipv4_address(address)) return v4->is_loopback();
    if (auto v6 = boost::urls::parse_ipv6_address(address)) return v6->is_loopback();
    return false;
}

}  // namespace

void read_tls(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir,
              http_server::tls_settings& tls) {
    if (!node) return;
    if (!r.expect_map(node, "tls",
                      {"certificate_file", "certificate_credential", "key_file", "key_credential", "client_ca_file",
                       "client_ca_credential"})) {
        return;
    }
    const auto chain = read_pem_location(r, node, "certificate", dir, true);
    const auto key = read_pem_location(r, node, "key", dir, true);
    const auto client_ca = read_pem_location(r, node, "client_ca", dir, false);
    if (!chain || !key) return;
    http_server::tls_settings settings{*chain, *key, client_ca.value_or(std::filesystem::path())};
    try {
        http_server::make_tls_context(settings);
    } catch (const http_server::tls_error& e) {
        r.problem(node, std::string("'tls': ") + e.what());
        return;
    }
    tls = std::move(settings);
}

void check_plain_http(yaml_reader& r, const YAML::Node& root, const gateway_config& cfg) {
    // A `tls:` with problems of its own is reported for those, not again here.
    if (root["tls"] || cfg.allow_plain_http || is_loopback(cfg.listen_address)) return;
    r.problem(root["listen"],
              "'listen' is not a loopback address and there is no 'tls:' section: clients' passwords would "
              "travel in the clear. Add 'tls:' (certificate_file, key_file), or 'allow_plain_http: true' if a "
              "TLS proxy in front of the gateway terminates HTTPS");
}

}  // namespace blubridge::config::detail
