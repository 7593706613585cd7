#define BOOST_TEST_MODULE config_load
#include <boost/test/unit_test.hpp>

#include <blubridge/auth/password_hash.hpp>
#include <blubridge/config/load_config.hpp>

#include <test_support/test_pki.hpp>

#include "config_test_support.hpp"

#include <algorithm>

using namespace std::chrono_literals;

using namespace config_test;

BOOST_AUTO_TEST_CASE(valid_file_is_read_completely) {
    scratch s;
    s.write("key.txt", "sekrit-api-key\n");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()));
    BOOST_TEST(c->listen_address == "127.0.0.1");
    BOOST_TEST(c->listen_port == 9090);
    BOOST_TEST(c->threads == 3u);
    BOOST_TEST(c->mappings_dir == (s.dir / "mappings").lexically_normal());
    BOOST_TEST(c->limits.header_timeout.count() == 250);
    BOOST_TEST(c->limits.body_limit == 2u * 1024 * 1024);
    BOOST_TEST(c->limits.header_limit == 16u * 1024);
    BOOST_TEST(c->limits.max_connections == 50u);
    BOOST_TEST(c->limits.idle_timeout.count() == 60'000);  // default kept
    BOOST_TEST(c->upstream.base_url == "http://127.0.0.1:8081");
    BOOST_TEST(c->upstream.request_timeout.count() == 120'000);
    BOOST_TEST(c->upstream.retry.idempotent_attempts == 3u);
    BOOST_TEST_REQUIRE(c->clients.size() == 1u);
    BOOST_TEST(c->clients[0].username == "legacy");
    BOOST_TEST(c->clients[0].billagain.account_id == "1001");
    BOOST_TEST(c->clients[0].billagain.api_key == "sekrit-api-key");
}

BOOST_AUTO_TEST_CASE(api_key_from_the_environment) {
    scratch s;
    std::string yaml = valid_yaml();
    yaml.replace(yaml.find("api_key_file: key.txt"), 21, "api_key_env: BLUBRIDGE_TEST_KEY");
    ::setenv("BLUBRIDGE_TEST_KEY", "from-env", 1);
    auto c = cfg::load_gateway_config(s.write("gw.yaml", yaml));
    BOOST_TEST(c->clients[0].billagain.api_key == "from-env");
    ::unsetenv("BLUBRIDGE_TEST_KEY");
    auto ps = problems_of(s.dir / "gw.yaml");
    BOOST_TEST(mentions(ps, 19, "BLUBRIDGE_TEST_KEY is not set"));
}

BOOST_AUTO_TEST_CASE(exactly_one_api_key_source) {
    scratch s;
    s.write("key.txt", "k\n");
    std::string yaml = valid_yaml();
    const auto twice = problems_of(s.write("twice.yaml", yaml + "      api_key_env: BLUBRIDGE_TEST_KEY\n"));
    BOOST_TEST(mentions(twice, 18, "give exactly one of 'api_key_env', 'api_key_file', 'api_key_credential'"));
    yaml.erase(yaml.find("      api_key_file: key.txt\n"));
    BOOST_TEST(mentions(problems_of(s.write("none.yaml", yaml)), 18, "give exactly one of"));
}

BOOST_AUTO_TEST_CASE(every_problem_is_reported_with_its_line) {
    scratch s;
    const auto file = s.write("bad.yaml",
                              "listen: nowhere\n"                 // 1
                              "mappings: missing-folder\n"        // 2
                              "colour: blue\n"                    // 3
                              "limits:\n"                         // 4
                              "  header_timeout: soon\n"          // 5
                              "  body_limit: -1\n"                // 6
                              "upstream:\n"                       // 7
                              "  base_url: ftp://x\n"             // 8
                              "clients:\n"                        // 9
                              "  - username: a\n"                 // 10
                              "    password_hash: plain\n"        // 11
                              "    billagain:\n"                  // 12
                              "      account: \"1\"\n"            // 13
                              "      api_key_file: nope.txt\n"    // 14
                              "  - username: a\n"                 // 15
                              "    password_hash: plain\n");      // 16
    const auto ps = problems_of(file);
    BOOST_TEST(mentions(ps, 1, "'listen' must be HOST:PORT"));
    BOOST_TEST(mentions(ps, 2, "does not exist"));
    BOOST_TEST(mentions(ps, 3, "unknown key 'colour'"));
    BOOST_TEST(mentions(ps, 5, "positive duration"));
    BOOST_TEST(mentions(ps, 6, "positive size"));
    BOOST_TEST(mentions(ps, 8, "http:// or https://"));
    BOOST_TEST(mentions(ps, 11, "pbkdf2-sha256"));
    BOOST_TEST(mentions(ps, 14, "cannot read"));
    BOOST_TEST(mentions(ps, 15, "listed twice"));
    BOOST_TEST(mentions(ps, 15, "missing required key 'billagain'"));
    for (const auto& p : ps) BOOST_TEST(p.file == file.string());
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_has_a_position) {
    scratch s;
    const auto ps = problems_of(s.write("broken.yaml", "listen: [unclosed\n"));
    BOOST_TEST_REQUIRE(ps.size() == 1u);
    BOOST_TEST(ps[0].line == 2);  // yaml-cpp notices the missing ']' at the end of input
    BOOST_TEST(ps[0].to_string().rfind(ps[0].file + ":2:", 0) == 0u, ps[0].to_string());
}

BOOST_AUTO_TEST_CASE(missing_file_is_a_problem_not_a_crash) {
    const auto ps = problems_of("/nonexistent/blubridge.yaml");
    BOOST_TEST_REQUIRE(ps.size() == 1u);
    BOOST_TEST(ps[0].message == "cannot read the file");
}

BOOST_AUTO_TEST_CASE(directory_callbacks_and_state_dir_default_when_absent) {
    scratch s;
    s.write("key.txt", "k\n");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()));
    BOOST_TEST(c->state_dir == fs::path("/var/lib/blubridge"));
    BOOST_TEST(c->directory.refresh_interval.count() == 60'000);
    BOOST_TEST(c->directory.parallel_pages == 4u);
    BOOST_TEST(c->callbacks.urls.empty());
    BOOST_TEST(c->callbacks.retry_initial.count() == 1'000);
    BOOST_TEST(c->callbacks.retry_max.count() == 600'000);
    BOOST_TEST(c->callbacks.timeout.count() == 10'000);
    BOOST_TEST(c->callbacks.ca_file.empty());
}

BOOST_AUTO_TEST_CASE(directory_callbacks_and_state_dir_are_read) {
    scratch s;
    s.write("key.txt", "k\n");
    s.write("private-ca.pem", "not checked here\n");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml() +
                                                             "state_dir: state\n"
                                                             "directory:\n"
                                                             "  refresh_interval: 90s\n"
                                                             "  parallel_pages: 32\n"
                                                             "callbacks:\n"
                                                             "  urls: [ \"https://hooks.example.com/blubilling?src=gw\",\n"
                                                             "          \"http://127.0.0.1:9000/\" ]\n"
                                                             "  retry_initial: 250ms\n"
                                                             "  retry_max: 10m\n"
                                                             "  timeout: 5s\n"
                                                             "  ca_file: private-ca.pem\n"));
    BOOST_TEST(c->state_dir == (s.dir / "state").lexically_normal());
    BOOST_TEST(c->directory.refresh_interval.count() == 90'000);
    BOOST_TEST(c->directory.parallel_pages == 32u);
    BOOST_TEST_REQUIRE(c->callbacks.urls.size() == 2u);
    BOOST_TEST(c->callbacks.urls[0] == "https://hooks.example.com/blubilling?src=gw");
    BOOST_TEST(c->callbacks.urls[1] == "http://127.0.0.1:9000/");
    BOOST_TEST(c->callbacks.retry_initial.count() == 250);
    BOOST_TEST(c->callbacks.retry_max.count() == 600'000);
    BOOST_TEST(c->callbacks.timeout.count() == 5'000);
    BOOST_TEST(c->callbacks.ca_file == (s.dir / "private-ca.pem").lexically_normal().string());
}

BOOST_AUTO_TEST_CASE(retry_initial_alone_may_not_pass_the_default_retry_max) {
    scratch s;
    s.write("key.txt", "k\n");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml() +
                                                             "callbacks:\n"
                                                             "  retry_initial: 10m\n"));
    BOOST_TEST(c->callbacks.retry_initial.count() == 600'000);
    const auto ps = problems_of(s.write("gw.yaml", valid_yaml() +
                                                       "callbacks:\n"     // 20
                                                       "  retry_initial: 11m\n"));
    BOOST_TEST(mentions(ps, 21, "'retry_max' must not be shorter than 'retry_initial'"));
}

BOOST_AUTO_TEST_CASE(directory_and_callback_problems_are_reported_with_their_lines) {
    scratch s;
    s.write("key.txt", "k\n");
    // valid_yaml() has 19 lines.
    const auto file = s.write("gw.yaml", valid_yaml() +
                                             "directory:\n"                                  // 20
                                             "  refresh_interval: 500ms\n"                   // 21
                                             "  parallel_pages: 33\n"                        // 22
                                             "  colour: blue\n"                              // 23
                                             "callbacks:\n"                                  // 24
                                             "  urls:\n"                                     // 25
                                             "    - ftp://hooks.example.com/x\n"             // 26
                                             "    - /relative/path\n"                        // 27
                                             "    - https://hooks.example.com/a\n"           // 28
                                             "    - https://hooks.example.com/a\n"           // 29
                                             "    - { url: x }\n"                            // 30
                                             "  retry_initial: 0s\n"                         // 31
                                             "  retry_max: 500ms\n"                          // 32
                                             "  timeout: never\n"                            // 33
                                             "  ca_file: missing-ca.pem\n"                   // 34
                                             "  secret: x\n");                               // 35
    const auto ps = problems_of(file);
    BOOST_TEST(mentions(ps, 21, "'refresh_interval' must be at least 1s"));
    BOOST_TEST(mentions(ps, 22, "'parallel_pages' must be a whole number from 1 to 32"));
    BOOST_TEST(mentions(ps, 23, "unknown key 'colour' in directory"));
    BOOST_TEST(mentions(ps, 26, "callback URL 'ftp://hooks.example.com/x' must be an absolute http:// or https:// URL"));
    BOOST_TEST(mentions(ps, 27, "callback URL '/relative/path' must be an absolute"));
    BOOST_TEST(mentions(ps, 29, "callback URL 'https://hooks.example.com/a' is listed twice"));
    BOOST_TEST(!mentions(ps, 28, "listed twice"));
    BOOST_TEST(mentions(ps, 30, "each callback URL must be a string"));
    BOOST_TEST(mentions(ps, 31, "'retry_initial' must be a positive duration"));
    BOOST_TEST(mentions(ps, 32, "'retry_max' must not be shorter than 'retry_initial'"));  // the default 1s
    BOOST_TEST(mentions(ps, 33, "'timeout' must be a positive duration"));
    BOOST_TEST(mentions(ps, 34, "CA file"));
    BOOST_TEST(mentions(ps, 35, "unknown key 'secret' in callbacks"));
}

BOOST_AUTO_TEST_CASE(callback_urls_must_be_a_list_and_sections_maps) {
    scratch s;
    s.write("key.txt", "k\n");
    auto ps = problems_of(s.write("gw.yaml", valid_yaml() +
                                                 "callbacks:\n"                                  // 20
                                                 "  urls: https://hooks.example.com/a\n"));      // 21
    BOOST_TEST(mentions(ps, 21, "'callbacks.urls' must be a list"));
    ps = problems_of(s.write("gw.yaml", valid_yaml() +
                                            "directory: 60s\n"      // 20
                                            "callbacks: [ x ]\n")); // 21
    BOOST_TEST(mentions(ps, 20, "directory must be a mapping"));
    BOOST_TEST(mentions(ps, 21, "callbacks must be a mapping"));
}

BOOST_AUTO_TEST_CASE(upstream_retry_budget_and_circuit_breaker) {
    scratch s;
    s.write("key.txt", "k\n");
    auto defaults = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()));
    BOOST_TEST(defaults->upstream.retry.budget_percent == 20u);
    BOOST_TEST(defaults->upstream.retry.min_retries_per_second == 3u);
    BOOST_TEST(defaults->upstream.retry.backoff_base.count() == 25);
    BOOST_TEST(defaults->upstream.retry.backoff_max.count() == 250);
    BOOST_TEST(defaults->upstream.breaker.failure_threshold == 5u);
    BOOST_TEST(defaults->upstream.breaker.open_interval.count() == 5'000);

    std::string yaml = valid_yaml();
    const std::string after = "    get_attempts: 3\n";
    yaml.insert(yaml.find(after) + after.size(),
                "    budget_percent: 10\n"
                "    min_retries_per_second: 0\n"
                "    backoff_base: 10ms\n"
                "    backoff_max: 1s\n"
                "  circuit_breaker:\n"
                "    failures: 3\n"
                "    open_interval: 2s\n");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", yaml));
    BOOST_TEST(c->upstream.retry.idempotent_attempts == 3u);
    BOOST_TEST(c->upstream.retry.budget_percent == 10u);
    BOOST_TEST(c->upstream.retry.min_retries_per_second == 0u);
    BOOST_TEST(c->upstream.retry.backoff_base.count() == 10);
    BOOST_TEST(c->upstream.retry.backoff_max.count() == 1'000);
    BOOST_TEST(c->upstream.breaker.failure_threshold == 3u);
    BOOST_TEST(c->upstream.breaker.open_interval.count() == 2'000);
}

BOOST_AUTO_TEST_CASE(bad_retry_and_breaker_settings_are_reported) {
    scratch s;
    s.write("key.txt", "k\n");
    std::string yaml = valid_yaml();
    const std::string after = "    get_attempts: 3\n";  // line 13 of valid_yaml
    yaml.insert(yaml.find(after) + after.size(),
                "    budget_percent: 150\n"      // 14
                "    backoff_base: 1s\n"         // 15
                "    backoff_max: 100ms\n"       // 16
                "  circuit_breaker:\n"           // 17
                "    failures: many\n"           // 18
                "    open_interval: 10ms\n"      // 19
                "    half_open: 1\n");           // 20
    const auto ps = problems_of(s.write("gw.yaml", yaml));
    BOOST_TEST(mentions(ps, 14, "'budget_percent' must be a whole number from 0 to 100"));
    BOOST_TEST(mentions(ps, 16, "'backoff_max' must not be shorter than 'backoff_base'"));
    BOOST_TEST(mentions(ps, 18, "'failures' must be a whole number"));
    BOOST_TEST(mentions(ps, 19, "'open_interval' must be at least 100ms"));
    BOOST_TEST(mentions(ps, 20, "unknown key 'half_open' in upstream.circuit_breaker"));
}

BOOST_AUTO_TEST_CASE(request_line_limit_is_read_and_may_not_pass_the_header_limit) {
    scratch s;
    s.write("key.txt", "k\n");
    BOOST_TEST(cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()))->limits.request_line_limit == 4u * 1024);

    std::string yaml = valid_yaml();
    const std::string after = "  header_limit: 16KiB\n";
    const auto at = yaml.find(after) + after.size();
    auto c = cfg::load_gateway_config(s.write("gw.yaml", std::string(yaml).insert(at, "  request_line_limit: 2KiB\n")));
    BOOST_TEST(c->limits.request_line_limit == 2u * 1024);

    const auto problems = problems_of(s.write("gw.yaml", yaml.insert(at, "  request_line_limit: 32KiB\n")));
    BOOST_TEST(mentions(problems, 8, "'request_line_limit' is larger than 'header_limit'"));
}

BOOST_AUTO_TEST_CASE(auth_failure_limits_default_when_absent) {
    scratch s;
    s.write("key.txt", "k\n");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()));
    BOOST_TEST(c->auth_failures.failures_before_delay == 5u);
    BOOST_TEST(c->auth_failures.failure_window.count() == 60'000);
    BOOST_TEST(c->auth_failures.lockout.count() == 1'000);
    BOOST_TEST(c->auth_failures.max_lockout.count() == 900'000);
    BOOST_TEST(c->auth_failures.max_tracked == 100'000u);
}

BOOST_AUTO_TEST_CASE(auth_failure_limits_are_read) {
    scratch s;
    s.write("key.txt", "k\n");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml() +
                                                             "auth:\n"
                                                             "  failures_before_delay: 3\n"
                                                             "  failure_window: 30s\n"
                                                             "  lockout: 2s\n"
                                                             "  max_lockout: 60m\n"
                                                             "  max_tracked_addresses: 5000\n"));
    BOOST_TEST(c->auth_failures.failures_before_delay == 3u);
    BOOST_TEST(c->auth_failures.failure_window.count() == 30'000);
    BOOST_TEST(c->auth_failures.lockout.count() == 2'000);
    BOOST_TEST(c->auth_failures.max_lockout.count() == 3'600'000);
    BOOST_TEST(c->auth_failures.max_tracked == 5000u);
}

BOOST_AUTO_TEST_CASE(bad_auth_failure_limits_are_reported_with_their_lines) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto base = valid_yaml();
    const auto base_lines = static_cast<int>(std::count(base.begin(), base.end(), '\n'));
    const auto ps = problems_of(s.write("gw.yaml", base +
                                                       "auth:\n"
                                                       "  failures_before_delay: 5000\n"
                                                       "  failure_window: 500ms\n"
                                                       "  lockout: 10m\n"
                                                       "  max_lockout: 5m\n"
                                                       "  max_tracked_addresses: 0\n"
                                                       "  lockuot: 1s\n"));
    BOOST_TEST(mentions(ps, base_lines + 2, "failures_before_delay"));
    BOOST_TEST(mentions(ps, base_lines + 3, "'failure_window' must be at least 1s"));
    BOOST_TEST(mentions(ps, base_lines + 5, "'max_lockout' must not be shorter than 'lockout'"));
    BOOST_TEST(mentions(ps, base_lines + 6, "max_tracked_addresses"));
    BOOST_TEST(mentions(ps, base_lines + 7, "lockuot"));
}

BOOST_AUTO_TEST_CASE(conflict_status_defaults_to_400_and_may_be_409) {
    scratch s;
    s.write("key.txt", "k\n");
    BOOST_TEST(cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()))->responses.conflict_status ==
               boost::beast::http::status::bad_request);
    auto c = cfg::load_gateway_config(s.write("gw409.yaml", valid_yaml() + "responses:\n  conflict_status: 409\n"));
    BOOST_TEST(c->responses.conflict_status == boost::beast::http::status::conflict);
    BOOST_TEST(c->responses.max_list_page == 1000u);
    c = cfg::load_gateway_config(s.write("gwmax.yaml", valid_yaml() + "responses:\n  max_list_page: 5000\n"));
    BOOST_TEST(c->responses.max_list_page == 5000u);
    BOOST_TEST(!problems_of(s.write("gwbig.yaml", valid_yaml() + "responses:\n  max_list_page: 20000\n")).empty());

    const auto base = valid_yaml();
    const auto base_lines = static_cast<int>(std::count(base.begin(), base.end(), '\n'));
    const auto ps = problems_of(s.write("bad.yaml", base + "responses:\n  conflict_status: 404\n  colour: blue\n"));
    BOOST_TEST(mentions(ps, base_lines + 2, "'conflict_status' must be 400 or 409"));
    BOOST_TEST(mentions(ps, base_lines + 3, "colour"));
}

namespace {

// valid_yaml() with `listen:` changed and `tail` appended.
std::string yaml_with(const std::string& listen, const std::string& tail) {
    std::string yaml = valid_yaml();
    yaml.replace(yaml.find("127.0.0.1:9090"), 14, listen);
    return yaml + tail;
}

}  // namespace

BOOST_AUTO_TEST_CASE(tls_files_are_resolved_against_the_config_folder_and_loaded) {
    scratch s;
    s.write("key.txt", "k\n");
    blubridge::test_support::make_test_pki(s.dir / "pki");
    auto c = cfg::load_gateway_config(s.write("gw.yaml", yaml_with("0.0.0.0:8443",
                                                                   "tls:\n"
                                                                   "  certificate_file: pki/server.pem\n"
                                                                   "  key_file: pki/server.key\n"
                                                                   "  client_ca_file: pki/ca.pem\n")));
    BOOST_TEST(c->tls.enabled());
    BOOST_TEST(c->tls.certificate_chain == s.dir / "pki/server.pem");
    BOOST_TEST(c->tls.private_key == s.dir / "pki/server.key");
    BOOST_TEST(c->tls.client_ca == s.dir / "pki/ca.pem");
    BOOST_TEST(!c->allow_plain_http);

    BOOST_TEST(!cfg::load_gateway_config(s.write("plain.yaml", valid_yaml()))->tls.enabled());
}

BOOST_AUTO_TEST_CASE(tls_files_may_be_systemd_credentials) {
    scratch s;
    s.write("key.txt", "k\n");
    blubridge::test_support::make_test_pki(s.dir / "creds");
    const auto file = s.write("gw.yaml", valid_yaml() +
                                             "tls:\n"
                                             "  certificate_credential: server.pem\n"
                                             "  key_credential: server.key\n");
    const auto base_lines = lines_of(valid_yaml());
    BOOST_TEST(mentions(problems_of(file), base_lines + 2, "CREDENTIALS_DIRECTORY is not set"));
    ::setenv("CREDENTIALS_DIRECTORY", (s.dir / "creds").c_str(), 1);
    auto c = cfg::load_gateway_config(file);
    ::unsetenv("CREDENTIALS_DIRECTORY");
    BOOST_TEST(c->tls.certificate_chain == s.dir / "creds/server.pem");
    BOOST_TEST(c->tls.private_key == s.dir / "creds/server.key");
}

BOOST_AUTO_TEST_CASE(tls_problems_are_reported_with_their_lines) {
    scratch s;
    s.write("key.txt", "k\n");
    blubridge::test_support::make_test_pki(s.dir / "pki");
    s.write("not.pem", "not a certificate\n");
    const auto base_lines = lines_of(valid_yaml());
    const auto problems = [&](const std::string& name, const std::string& tls) {
        return problems_of(s.write(name, valid_yaml() + "tls:\n" + tls));
    };
    BOOST_TEST(mentions(problems("both.yaml", "  certificate_file: pki/server.pem\n"
                                              "  certificate_credential: server.pem\n"
                                              "  key_file: pki/server.key\n"),
                        base_lines + 3, "either 'certificate_file' or 'certificate_credential', not both"));
    BOOST_TEST(mentions(problems("nokey.yaml", "  certificate_file: pki/server.pem\n"), base_lines + 2,
                        "'tls' needs 'key_file' or 'key_credential'"));
    BOOST_TEST(mentions(problems("absent.yaml", "  certificate_file: pki/absent.pem\n  key_file: pki/server.key\n"),
                        base_lines + 2, "cannot read " + (s.dir / "pki/absent.pem").string()));
    BOOST_TEST(mentions(problems("notpem.yaml", "  certificate_file: not.pem\n  key_file: pki/server.key\n"),
                        base_lines + 2, "certificate chain " + (s.dir / "not.pem").string()));
    BOOST_TEST(mentions(problems("mismatch.yaml", "  certificate_file: pki/server.pem\n  key_file: pki/client.key\n"),
                        base_lines + 2, "key values mismatch"));
    // Off loopback, a broken tls: is reported once, for what is wrong with it.
    const auto off_loopback = problems_of(s.write(
        "public.yaml", yaml_with("0.0.0.0:8443", "tls:\n  certificate_file: pki/server.pem\n  key_file: pki/client.key\n")));
    BOOST_TEST(off_loopback.size() == 1u);
    BOOST_TEST(mentions(off_loopback, base_lines + 2, "key values mismatch"));
    BOOST_TEST(mentions(problems("badca.yaml", "  certificate_file: pki/server.pem\n  key_file: pki/server.key\n"
                                               "  client_ca_file: not.pem\n"),
                        base_lines + 2, "client CA " + (s.dir / "not.pem").string()));
    BOOST_TEST(mentions(problems("typo.yaml", "  certificate_file: pki/server.pem\n  key_file: pki/server.key\n"
                                              "  ciphers: ALL\n"),
                        base_lines + 4, "unknown key 'ciphers'"));
}

BOOST_AUTO_TEST_CASE(plain_http_off_loopback_needs_allow_plain_http) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto ps = problems_of(s.write("open.yaml", yaml_with("0.0.0.0:8080", "")));
    BOOST_TEST(mentions(ps, 1, "'listen' is not a loopback address and there is no 'tls:' section"));
    BOOST_TEST(mentions(problems_of(s.write("public.yaml", yaml_with("192.0.2.10:8080", ""))), 1, "not a loopback"));
    BOOST_TEST(mentions(problems_of(s.write("v6.yaml", yaml_with("\"[::]:8080\"", ""))), 1, "not a loopback address"));
    BOOST_TEST(problems_of(s.write("lo6.yaml", yaml_with("\"[::1]:8080\"", ""))).empty());
    BOOST_TEST(problems_of(s.write("lo8.yaml", yaml_with("127.0.0.2:8080", ""))).empty());
    auto c = cfg::load_gateway_config(s.write("proxied.yaml", yaml_with("0.0.0.0:8080", "allow_plain_http: true\n")));
    BOOST_TEST(c->allow_plain_http);
    BOOST_TEST(c->listen_address == "0.0.0.0");
}

BOOST_AUTO_TEST_CASE(log_and_metrics_listen_default_when_absent) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto c = cfg::load_gateway_config(s.write("gw.yaml", valid_yaml()));
    BOOST_TEST(!c->metrics_listen.has_value());
    BOOST_TEST((c->log.style == blubridge::log::format::json));
    BOOST_TEST((c->log.min_level == blubridge::log::level::info));
}

BOOST_AUTO_TEST_CASE(log_and_metrics_listen_are_read) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto c = cfg::load_gateway_config(
        s.write("gw.yaml", valid_yaml() + "metrics_listen: \"[::1]:9464\"\nlog:\n  format: logfmt\n  level: warn\n"));
    BOOST_TEST_REQUIRE(c->metrics_listen.has_value());
    BOOST_TEST(c->metrics_listen->address == "::1");
    BOOST_TEST(c->metrics_listen->port == 9464u);
    BOOST_TEST((c->log.style == blubridge::log::format::logfmt));
    BOOST_TEST((c->log.min_level == blubridge::log::level::warn));
}

BOOST_AUTO_TEST_CASE(bad_log_and_metrics_listen_are_reported_with_their_lines) {
    scratch s;
    s.write("key.txt", "k\n");
    const auto base = valid_yaml();
    const auto n = static_cast<int>(std::count(base.begin(), base.end(), '\n'));
    const auto ps = problems_of(
        s.write("bad.yaml", base + "metrics_listen: 9464\nlog:\n  format: xml\n  level: loud\n  colour: blue\n"));
    BOOST_TEST(mentions(ps, n + 1, "'metrics_listen' must be HOST:PORT"));
    BOOST_TEST(mentions(ps, n + 3, "'format' must be json or logfmt"));
    BOOST_TEST(mentions(ps, n + 4, "'level' must be debug, info, warn or error"));
    BOOST_TEST(mentions(ps, n + 5, "colour"));
}
