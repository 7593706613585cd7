#include <blubridge/config/load_config.hpp>

#include <blubridge/auth/password_hash.hpp>
#include <blubridge/log/logger.hpp>

#include "detail/credentials.hpp"
#include "detail/state_section.hpp"
#include "detail/tls_section.hpp"
#include "detail/yaml_reader.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <set>

namespace blubridge::config {

std::string config_problem::to_string() const {
    if (line == 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

namespace {

std::string join(const std::vector<config_problem>& problems) {
    std::string out;
    for (const auto& p : problems) out += p.to_string() + "\n";
    return out;
}

using detail::yaml_reader;

// `HOST:PORT` (an IPv6 host in brackets) at `key`, or nothing (absent or a problem reported).
std::optional<listen_endpoint> read_endpoint(yaml_reader& r, const YAML::Node& root, const char* key) {
    auto text = r.text(root, key);
    if (!text) return std::nullopt;
    auto authority = boost::urls::parse_authority(*text);
    if (!authority || !authority->has_port() || authority->host().empty() || authority->has_userinfo()) {
        r.problem(root[key], "'" + std::string(key) + "' must be HOST:PORT, e.g. 127.0.0.1:8080");
        return std::nullopt;
    }
    listen_endpoint out;
    out.address = authority->host_type() == boost::urls::host_type::ipv6 ? authority->host_ipv6_address().to_string()
                                                                         : std::string(authority->host_address());
    out.port = authority->port_number();
    return out;
}

void read_listen(yaml_reader& r, const YAML::Node& root, gateway_config& cfg) {
    if (auto endpoint = read_endpoint(r, root, "listen")) {
        cfg.listen_address = std::move(endpoint->address);
        cfg.listen_port = endpoint->port;
    }
    cfg.metrics_listen = read_endpoint(r, root, "metrics_listen");
}

void read_log(yaml_reader& r, const YAML::Node& node, log::log_settings& l) {
    if (!node) return;
    if (!r.expect_map(node, "log", {"format", "level"})) return;
    if (auto v = r.text(node, "format")) {
        if (*v == "json") l.style = log::format::json;
        else if (*v == "logfmt") l.style = log::format::logfmt;
        else r.problem(node["format"], "'format' must be json or logfmt");
    }
    if (auto v = r.text(node, "level")) {
        constexpr log::level levels[] = {log::level::debug, log::level::info, log::level::warn, log::level::error};
        const auto* found = std::find_if(std::begin(levels), std::end(levels),
                                         [&](log::level l) { return log::to_string(l) == *v; });
        if (found == std::end(levels)) r.problem(node["level"], "'level' must be debug, info, warn or error");
        else l.min_level = *found;
    }
}

void read_limits(yaml_reader& r, const YAML::Node& node, http_server::server_limits& l) {
    if (!node) return;
    if (!r.expect_map(node, "limits",
                      {"header_timeout", "body_timeout", "idle_timeout", "write_timeout",
                       "drain_timeout", "header_limit", "request_line_limit", "body_limit",
                       "max_connections"})) {
        return;
    }
    if (auto v = r.duration(node, "header_timeout")) l.header_timeout = *v;
    if (auto v = r.duration(node, "body_timeout")) l.body_timeout = *v;
    if (auto v = r.duration(node, "idle_timeout")) l.idle_timeout = *v;
    if (auto v = r.duration(node, "write_timeout")) l.write_timeout = *v;
    if (auto v = r.duration(node, "drain_timeout")) l.drain_timeout = *v;
    if (auto v = r.size(node, "header_limit")) {
        if (*v > UINT32_MAX) r.problem(node["header_limit"], "'header_limit' is too large");
        else l.header_limit = static_cast<std::uint32_t>(*v);
    }
    if (auto v = r.size(node, "request_line_limit")) {
        if (*v > l.header_limit) r.problem(node["request_line_limit"], "'request_line_limit' is larger than 'header_limit'");
        else l.request_line_limit = static_cast<std::uint32_t>(*v);
    }
    if (auto v = r.size(node, "body_limit")) l.body_limit = *v;
    if (auto v = r.number(node, "max_connections", 1, 1'000'000)) l.max_connections = *v;
}

// `ca_file` of `node`, resolved against the config folder; left as is when absent or empty.
void read_ca_file(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir, std::string& ca_file) {
    auto v = r.text(node, "ca_file");
    if (!v || v->empty()) return;
    ca_file = (dir / *v).lexically_normal().string();
    if (!std::filesystem::exists(ca_file)) r.problem(node["ca_file"], "CA file " + ca_file + " does not exist");
}

void read_retry(yaml_reader& r, const YAML::Node& retry, upstream::retry_policy& p) {
    if (!retry || !r.expect_map(retry, "upstream.retry",
                                {"get_attempts", "unsent_attempts", "budget_percent", "min_retries_per_second",
                                 "backoff_base", "backoff_max"})) {
        return;
    }
    if (auto v = r.number(retry, "get_attempts", 1, 5)) p.idempotent_attempts = static_cast<unsigned>(*v);
    if (auto v = r.number(retry, "unsent_attempts", 1, 5)) p.unsent_attempts = static_cast<unsigned>(*v);
    if (auto v = r.number(retry, "budget_percent", 0, 100)) p.budget_percent = static_cast<unsigned>(*v);
    if (auto v = r.number(retry, "min_retries_per_second", 0, 1000)) p.min_retries_per_second = static_cast<unsigned>(*v);
    if (auto v = r.duration(retry, "backoff_base")) p.backoff_base = *v;
    if (auto v = r.duration(retry, "backoff_max")) p.backoff_max = *v;
    if (p.backoff_max < p.backoff_base) {
        r.problem(retry["backoff_max"] ? retry["backoff_max"] : retry["backoff_base"],
                  "'backoff_max' must not be shorter than 'backoff_base'");
    }
}

void read_breaker(yaml_reader& r, const YAML::Node& node, upstream::breaker_policy& p) {
    if (!node || !r.expect_map(node, "upstream.circuit_breaker", {"failures", "open_interval"})) return;
    if (auto v = r.number(node, "failures", 0, 1000)) p.failure_threshold = static_cast<unsigned>(*v);
    if (auto v = r.duration(node, "open_interval")) {
        // A zero interval would probe after every refusal: no breaker at all.
        if (*v < std::chrono::milliseconds(100)) r.problem(node["open_interval"], "'open_interval' must be at least 100ms");
        else p.open_interval = *v;
    }
}

void read_upstream(yaml_reader& r, const YAML::Node& root, const std::filesystem::path& dir,
                   upstream::client_options& u) {
    const auto node = root["upstream"];
    if (!node) {
        r.problem(root, "missing required key 'upstream'");
        return;
    }
    if (!r.expect_map(node, "upstream",
                      {"base_url", "ca_file", "verify_peer", "connect_timeout", "request_timeout",
                       "idle_timeout", "max_connections", "max_waiting", "max_response_size", "retry",
                       "circuit_breaker"})) {
        return;
    }
    if (auto v = r.text(node, "base_url", true)) {
        auto url = boost::urls::parse_absolute_uri(*v);
        if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
            r.problem(node["base_url"], "'base_url' must be an http:// or https:// URL");
        }
        u.base_url = *v;
    }
    read_ca_file(r, node, dir, u.ca_file);
    if (auto v = r.flag(node, "verify_peer")) u.verify_peer = *v;
    if (auto v = r.duration(node, "connect_timeout")) u.connect_timeout = *v;
    if (auto v = r.duration(node, "request_timeout")) u.request_timeout = *v;
    if (auto v = r.duration(node, "idle_timeout")) u.idle_timeout = *v;
    if (auto v = r.number(node, "max_connections", 1, 100'000)) u.max_connections = *v;
    if (auto v = r.number(node, "max_waiting", 0, 1'000'000)) u.max_waiting = *v;
    if (auto v = r.size(node, "max_response_size")) u.max_response_bytes = *v;
    read_retry(r, node["retry"], u.retry);
    read_breaker(r, node["circuit_breaker"], u.breaker);
}

void read_directory(yaml_reader& r, const YAML::Node& node, directory_settings& d) {
    if (!node) return;
    if (!r.expect_map(node, "directory", {"refresh_interval", "parallel_pages"})) return;
    if (auto v = r.duration(node, "refresh_interval")) {
        // A shorter pass interval would keep Billagain busy paging for nothing.
        if (*v < std::chrono::seconds(1)) r.problem(node["refresh_interval"], "'refresh_interval' must be at least 1s");
        else d.refresh_interval = *v;
    }
    if (auto v = r.number(node, "parallel_pages", 1, 32)) d.parallel_pages = static_cast<unsigned>(*v);
}

void read_idempotency(yaml_reader& r, const YAML::Node& node, idempotency_settings& i) {
    if (!node) return;
    if (!r.expect_map(node, "idempotency", {"retention", "lease"})) return;
    if (auto v = r.duration(node, "retention")) {
        if (*v < std::chrono::minutes(1)) r.problem(node["retention"], "'retention' must be at least 1m");
        else i.retention = std::chrono::duration_cast<std::chrono::seconds>(*v);
    }
    if (auto v = r.duration(node, "lease")) {
        if (*v < std::chrono::seconds(10)) r.problem(node["lease"], "'lease' must be at least 10s");
        else i.lease = std::chrono::duration_cast<std::chrono::seconds>(*v);
    }
}

void read_responses(yaml_reader& r, const YAML::Node& node, response_settings& s) {
    if (!node) return;
    if (!r.expect_map(node, "responses", {"conflict_status", "max_list_page"})) return;
    if (auto v = r.number(node, "max_list_page", 1, 10'000)) s.max_list_page = static_cast<std::uint64_t>(*v);
    if (auto v = r.number(node, "conflict_status", 400, 409)) {
        if (*v != 400 && *v != 409) r.problem(node["conflict_status"], "'conflict_status' must be 400 or 409");
        else s.conflict_status = static_cast<boost::beast::http::status>(*v);
    }
}

// Each URL once: a duplicate would POST every transition twice to the same receiver.
void read_callback_urls(yaml_reader& r, const YAML::Node& list, std::vector<std::string>& urls) {
    if (!list) return;
    if (!list.IsSequence()) {
        r.problem(list, "'callbacks.urls' must be a list of http:// or https:// URLs");
        return;
    }
    std::set<std::string> seen;
    for (const auto& item : list) {
        if (!item.IsScalar()) {
            r.problem(item, "each callback URL must be a string");
            continue;
        }
        const auto& text = item.Scalar();
        auto url = boost::urls::parse_absolute_uri(text);
        if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
            r.problem(item, "callback URL '" + text + "' must be an absolute http:// or https:// URL");
        } else if (!seen.insert(text).second) {
            r.problem(item, "callback URL '" + text + "' is listed twice");
        } else {
            urls.push_back(text);
        }
    }
}

void read_callbacks(yaml_reader& r, const YAML::Node& node, const std::filesystem::path& dir,
                    callback_settings& c) {
    if (!node) return;
    if (!r.expect_map(node, "callbacks", {"urls", "retry_initial", "retry_max", "timeout", "ca_file"})) return;
    read_callback_urls(r, node["urls"], c.urls);
    if (auto v = r.duration(node, "retry_initial")) c.retry_initial = *v;
    if (auto v = r.duration(node, "retry_max")) c.retry_max = *v;
    if (c.retry_max < c.retry_initial) {
        r.problem(node[node["retry_max"] ? "retry_max" : "retry_initial"],
                  "'retry_max' must not be shorter than 'retry_initial'");
    }
    if (auto v = r.duration(node, "timeout")) c.timeout = *v;
    read_ca_file(r, node, dir, c.ca_file);
}

void read_clients(yaml_reader& r, const YAML::Node& root, const std::filesystem::path& dir,
                  std::vector<client_entry>& clients) {
    const auto list = root["clients"];
    if (!list) {
        r.problem(root, "missing required key 'clients' (who may call the gateway)");
        return;
    }
    if (!list.IsSequence() || list.size() == 0) {
        r.problem(list, "'clients' must be a non-empty list");
        return;
    }
    std::set<std::string> seen;
    for (const auto& item : list) {
        if (!r.expect_map(item, "a client", {"username", "password_hash", "billagain"})) continue;
        client_entry c;
        if (auto v = r.text(item, "username", true)) {
            c.username = *v;
            if (c.username.empty() || c.username.find(':') != std::string::npos) {
                r.problem(item["username"], "'username' must be non-empty and contain no ':'");
            } else if (!seen.insert(c.username).second) {
                r.problem(item["username"], "client '" + c.username + "' is listed twice");
            }
        }
        if (auto v = r.text(item, "password_hash", true)) {
            if (!auth::parse_password_hash(*v)) {
                r.problem(item["password_hash"],
                          "'password_hash' must be pbkdf2-sha256$ITERATIONS$SALT$KEY "
                          "(make one with: blubridge --hash-password)");
            }
            c.password_hash = *v;
        }
        const auto account = item["billagain"];
        if (!account) {
            r.problem(item, "missing required key 'billagain'");
        } else if (r.expect_map(account, "billagain",
                                {"account", "api_key_env", "api_key_file", "api_key_credential"})) {
            if (auto v = r.text(account, "account", true)) c.billagain.account_id = *v;
            if (auto key = detail::read_secret(r, account, dir, "api_key", true)) {
                c.billagain.api_key = std::move(*key);
            }
        }
        clients.push_back(std::move(c));
    }
}

// Retry-After is in whole seconds, so shorter lockouts would be announced wrongly.
void read_auth(yaml_reader& r, const YAML::Node& node, auth::failure_policy& p) {
    if (!node) return;
    if (!r.expect_map(node, "auth",
                      {"failures_before_delay", "failure_window", "lockout", "max_lockout", "max_tracked_addresses"})) {
        return;
    }
    if (auto v = r.number(node, "failures_before_delay", 0, 1000)) p.failures_before_delay = static_cast<unsigned>(*v);
    const auto at_least_a_second = [&](const char* key, std::chrono::milliseconds& out) {
        auto v = r.duration(node, key);
        if (!v) return;
        if (*v < std::chrono::seconds(1)) r.problem(node[key], "'" + std::string(key) + "' must be at least 1s");
        else out = *v;
    };
    at_least_a_second("failure_window", p.failure_window);
    at_least_a_second("lockout", p.lockout);
    at_least_a_second("max_lockout", p.max_lockout);
    if (p.max_lockout < p.lockout) {
        r.problem(node[node["max_lockout"] ? "max_lockout" : "lockout"], "'max_lockout' must not be shorter than 'lockout'");
    }
    if (auto v = r.number(node, "max_tracked_addresses", 1, 10'000'000)) p.max_tracked = *v;
}

}  // namespace

config_error::config_error(std::vector<config_problem> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

std::shared_ptr<const gateway_config> load_gateway_config(const std::filesystem::path& file) {
    yaml_reader r(file.string());
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        throw config_error({{file.string(), 0, 0, "cannot read the file"}});
    } catch (const YAML::Exception& e) {
        throw config_error({{file.string(), e.mark.line + 1, e.mark.column + 1, e.msg}});
    }

    auto cfg = std::make_shared<gateway_config>();
    cfg->source = file;
    const auto dir = file.parent_path();
    if (r.expect_map(root, "the configuration",
                     {"listen", "tls", "allow_plain_http", "metrics_listen", "log", "threads", "mappings", "state_dir",
                      "state", "limits", "upstream", "clients", "auth", "directory", "callbacks", "idempotency",
                      "responses"})) {
        read_listen(r, root, *cfg);
        detail::read_tls(r, root["tls"], dir, cfg->tls);
        if (auto v = r.flag(root, "allow_plain_http")) cfg->allow_plain_http = *v;
        detail::check_plain_http(r, root, *cfg);
        read_log(r, root["log"], cfg->log);
        if (auto v = r.number(root, "threads", 0, 256)) cfg->threads = static_cast<unsigned>(*v);
        if (auto v = r.text(root, "mappings", true)) {
            cfg->mappings_dir = (dir / *v).lexically_normal();
            if (!std::filesystem::is_directory(cfg->mappings_dir)) {
                r.problem(root["mappings"], "mappings folder " + cfg->mappings_dir.string() + " does not exist");
            }
        }
        if (auto v = r.text(root, "state_dir")) cfg->state_dir = (dir / *v).lexically_normal();
        detail::read_state(r, root["state"], dir, cfg->state);
        read_limits(r, root["limits"], cfg->limits);
        read_upstream(r, root, dir, cfg->upstream);
        read_clients(r, root, dir, cfg->clients);
        read_auth(r, root["auth"], cfg->auth_failures);
        read_directory(r, root["directory"], cfg->directory);
        read_callbacks(r, root["callbacks"], dir, cfg->callbacks);
        read_idempotency(r, root["idempotency"], cfg->idempotency);
        read_responses(r, root["responses"], cfg->responses);
    }
    if (!r.problems().empty()) throw config_error(r.problems());
    return cfg;
}

}  // namespace blubridge::config
