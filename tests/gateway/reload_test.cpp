// Reload at SIGHUP: the built gateway and sandbox as real processes; the configuration (or
// the mappings) rewritten, SIGHUP sent, and the gateway's answers and log checked.
#define BOOST_TEST_MODULE gateway_reload
#include <boost/test/unit_test.hpp>

#include "fault_proxy.hpp"
#include "gateway_stack.hpp"
#include "notify_socket.hpp"

#include <test_support/leak_capture.hpp>

#include <blubridge/auth/basic_authenticator.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <ctime>
#include <mutex>
#include <regex>

using namespace gateway_test;

namespace {

constexpr const char* new_user = "reload-client";
constexpr const char* new_password = "reload-client-password";
const std::string customer_302 = "/rest/customer/302?format=xml";

/// A further `clients:` entry (after the stack's own client): `new_user` of `account_id`.
std::string new_client_yaml(const std::string& account_id, const std::string& key_file = "billagain.key") {
    const auto hash = blubridge::auth::hash_password(new_password, 1000).to_string();
    return "  - username: " + std::string(new_user) + "\n    password_hash: \"" + hash +
           "\"\n    billagain:\n      account: \"" + account_id + "\"\n      api_key_file: " + key_file + "\n";
}

stack_options with_new_client(stack_options o, const std::string& account_id = account,
                              const std::string& key_file = "billagain.key") {
    o.extra_config = new_client_yaml(account_id, key_file) + o.extra_config;
    return o;
}

/// A gateway stack whose configuration the test rewrites and reloads.
struct reload_stack : gateway_stack {
    explicit reload_stack(const stack_options& o = {}) : gateway_stack(o) {}

    /// Writes the configuration anew from `o`, sends SIGHUP and waits for the reload's
    /// outcome; its log line.
    std::string reload(const stack_options& o) {
        write_config(dir, o.upstream_url ? o.upstream_url(sandbox->port()) : sandbox_url(), o);
        const auto before = occurrences_in_output("reload: ");
        gateway->signal(SIGHUP);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        for (;;) {
            const auto text = gateway->output();
            const auto at = text.rfind("reload: ");
            const auto end = at == std::string::npos ? at : text.find('\n', at);
            if (occurrences(text, "reload: ") > before && end != std::string::npos) return text.substr(at, end - at);
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no reload outcome logged");
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    /// A client of the gateway with the new client's credentials.
    std::unique_ptr<http_client> newcomer() {
        auto c = std::make_unique<http_client>(gateway->host(), gateway->port());
        c->capture_as("gateway");
        c->set_basic_auth(new_user, new_password);
        return c;
    }
};

/// Asks until `target` answers 200 (a directory still syncing answers 503), 30 s at most.
http_client::result until_ok(http_client& c, const std::string& target) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        auto r = c.get(target);
        if (r.status == 200 || std::chrono::steady_clock::now() > deadline) return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

/// The 1-based line of `text` holding `needle`.
std::size_t line_of(const std::string& text, const std::string& needle) {
    return static_cast<std::size_t>(std::count(text.begin(), text.begin() + text.find(needle), '\n')) + 1;
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_good_reload_lets_a_new_client_in_and_a_removed_one_out) {
    reload_stack stack;
    auto newcomer = stack.newcomer();
    BOOST_TEST(newcomer->get(customer_302).status == 401u);

    const auto line = stack.reload(with_new_client({}));
    BOOST_TEST(contains(line, "reload: ok, clients 2 (+1 -0), accounts 1 (+0 -0)"), line);
    // The line is logged after the swap: the next request is served by the new set.
    const auto served = newcomer->get(customer_302);
    BOOST_TEST(served.status == 200u, served.body);
    BOOST_TEST(stack.get(customer_302).status == 200u);
    BOOST_TEST(stack.gateway->running());

    BOOST_TEST(contains(stack.reload({}), "reload: ok, clients 1 (+0 -1)"));
    BOOST_TEST(newcomer->get(customer_302).status == 401u);
    BOOST_TEST(stack.get(customer_302).status == 200u);
}

BOOST_AUTO_TEST_CASE(a_client_of_a_new_account_gets_its_own_directory) {
    // One Billagain, two accounts: the second account's requests go to a sandbox of its own
    // (starting empty), the rest to the stack's.
    const std::string second_account = "reload-second-account", second_key = "reload-second-key";
    child_process second(required_env("BILLAGAIN_SANDBOX"),
                         {"--listen", "127.0.0.1:0", "--account", second_account, "--api-key", second_key,
                          "--threads", "1"});
    http_client second_control(second.host(), second.port());
    second_control.capture_as("sandbox");
    fault_proxy billagain;
    billagain.route(blubridge::auth::make_basic_authorization(second_account, second_key), second.port());
    stack_options o;
    o.refresh_interval = "1s";
    o.upstream_url = [&billagain](unsigned short sandbox_port) {
        billagain.set_target(sandbox_port);
        return billagain.url();
    };
    reload_stack stack(o);
    std::ofstream(stack.dir.path / "second.key") << second_key << "\n";
    // Its Billagain fails the customer list until told otherwise: the first sync cannot end.
    const auto fault = second_control.request(http::verb::post, "/_sandbox/faults",
                                              R"({"kind":"status","status":503,"path_prefix":"/v1/customers"})",
                                              {{"Content-Type", "application/json"}});
    BOOST_TEST_REQUIRE(fault.status == 201u, fault.body);

    const auto line = stack.reload(with_new_client(o, second_account, "second.key"));
    BOOST_TEST(contains(line, "reload: ok, clients 2 (+1 -0), accounts 2 (+1 -0)"), line);
    BOOST_TEST(fs::exists(stack.dir.path / "state" / ("directory-" + second_account + ".sqlite3")));

    // Until its directory has synced, its directory routes answer 503; the gateway as a whole
    // stays ready (the account the reload added does not take it out of a load balancer).
    auto newcomer = stack.newcomer();
    const auto unsynced = newcomer->get("/rest/customers?format=xml");
    BOOST_TEST(unsynced.status == 503u, unsynced.body);
    BOOST_TEST(stack.get("/readyz").status == 200u);

    // Then they answer from its own directory: empty, as its Billagain is.
    second_control.request(http::verb::delete_, "/_sandbox/faults");
    const auto listed = until_ok(*newcomer, "/rest/customers?format=xml");
    BOOST_TEST(listed.status == 200u, listed.body);
    BOOST_TEST(listed_ids(listed.body).empty(), listed.body);

    const auto created = newcomer->request(http::verb::post, "/rest/customers?format=xml", customer_xml("second-ref"),
                                           {{"Content-Type", "application/xml"}});
    BOOST_TEST_REQUIRE(created.status == 200u, created.body);
    const auto found = newcomer->get("/rest/customer?extCustomerRef=second-ref&format=xml");
    BOOST_TEST(found.status == 200u, found.body);
    BOOST_TEST(id_of(found.body, "customer") == id_of(created.body, "customer"));

    // The first account's directory neither knows the reference nor lost its own customers.
    BOOST_TEST(stack.get("/rest/customer?extCustomerRef=second-ref&format=xml").status == 404u);
    BOOST_TEST(stack.get("/rest/customer?extCustomerRef=12343453454&format=xml").status == 200u);

    // Removed again: the account's passes stop (the first account's go on meanwhile).
    BOOST_TEST(contains(stack.reload(o), "reload: ok, clients 1 (+0 -1), accounts 1 (+0 -1)"));
    stack.await_refresh();  // a pass of the removed account in flight at the swap has ended
    const auto pages = [&] { return gateway_stack::count_in(second_control.get("/_sandbox/stats").body, "GET /v1/customers"); };
    const auto pages_after_removal = pages();
    BOOST_TEST(pages_after_removal > 0u);
    stack.await_refresh();
    BOOST_TEST(pages() == pages_after_removal);
    BOOST_TEST(newcomer->get("/rest/customers?format=xml").status == 401u);
}

BOOST_AUTO_TEST_CASE(a_changed_api_key_is_used_by_requests_and_directory_passes) {
    // Billagain with the account's rotated key routed to a sandbox of its own (empty), so
    // which key a call carried shows in where it went.
    const std::string rotated_key = "reload-rotated-key";
    child_process rotated(required_env("BILLAGAIN_SANDBOX"),
                          {"--listen", "127.0.0.1:0", "--account", account, "--api-key", rotated_key, "--threads", "1"});
    http_client rotated_control(rotated.host(), rotated.port());
    rotated_control.capture_as("sandbox");
    fault_proxy billagain;
    billagain.route(blubridge::auth::make_basic_authorization(account, rotated_key), rotated.port());
    stack_options o;
    o.refresh_interval = "1s";
    o.upstream_url = [&billagain](unsigned short sandbox_port) {
        billagain.set_target(sandbox_port);
        return billagain.url();
    };
    reload_stack stack(o);
    BOOST_TEST(stack.get(customer_302).status == 200u);

    std::ofstream(stack.dir.path / "billagain.key") << rotated_key << "\n";
    stack.gateway->signal(SIGHUP);  // write_config would put the old key back: only the key file changed
    BOOST_TEST_REQUIRE(stack.gateway->wait_for_output("reload: ok", std::chrono::seconds(30)), stack.gateway->output());

    // The rotated key's Billagain has no customer 302, and the next directory pass goes there.
    const auto after = stack.get(customer_302);
    BOOST_TEST(after.status == 404u, after.body);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (gateway_stack::count_in(rotated_control.get("/_sandbox/stats").body, "GET /v1/customers") == 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    BOOST_TEST(gateway_stack::count_in(rotated_control.get("/_sandbox/stats").body, "GET /v1/customers") > 0u);
}

BOOST_AUTO_TEST_CASE(a_bad_reload_is_refused_with_file_and_line_and_the_old_set_serves_on) {
    scratch_dir own;
    const fs::path mappings = own.path / "mappings";
    fs::copy(required_env("BLUBRIDGE_MAPPINGS"), mappings, fs::copy_options::recursive);
    stack_options o;
    o.mappings_dir = mappings.string();
    reload_stack stack(o);
    auto newcomer = stack.newcomer();
    const auto good = with_new_client(o);

    // A mapping file that is no longer YAML: its file:line:column in the log.
    const auto status_yaml = read_file(mappings / "status.yaml");
    std::ofstream(mappings / "status.yaml", std::ios::app) << "  - name: [unclosed\n";
    auto line = stack.reload(good);
    BOOST_TEST(contains(line, "reload: refused, the old configuration keeps serving: "), line);
    BOOST_TEST(std::regex_search(line, std::regex((mappings / "status.yaml").string() + ":[0-9]+:[0-9]+: ")), line);
    BOOST_TEST(stack.get(customer_302).status == 200u);
    BOOST_TEST(newcomer->get(customer_302).status == 401u);  // the refused set's client is not let in
    std::ofstream(mappings / "status.yaml") << status_yaml;

    // A configuration problem, located in the configuration file.
    auto unknown_key = good;
    unknown_key.extra_config += "no_such_setting: 1\n";
    line = stack.reload(unknown_key);
    const auto config_text = read_file(stack.config_file);
    BOOST_TEST(contains(line, stack.config_file.string() + ":" +
                                  std::to_string(line_of(config_text, "no_such_setting")) + ":"),
               line);
    BOOST_TEST(stack.get(customer_302).status == 200u);

    // Settings the gateway reads only at start are named, not silently ignored.
    auto restart_only = good;
    restart_only.extra_limits = "  max_connections: 50\n";
    restart_only.request_timeout = "7s";
    line = stack.reload(restart_only);
    BOOST_TEST(contains(line, "limits changed: it takes effect only at a restart"), line);
    BOOST_TEST(contains(line, "upstream changed: it takes effect only at a restart"), line);
    BOOST_TEST(newcomer->get(customer_302).status == 401u);

    // The state store is opened once: another backend (and its password, which is not shown) too.
    auto other_state = good;
    std::ofstream(stack.dir.path / "pg-password") << secrets::state_database_password << "\n";
    // The file is an input the gateway reads: the leak scan then looks for it in every output.
    blubridge::test_support::leak_capture::append(blubridge::test_support::leak_capture::requests, "config",
                                                  "state.postgresql.password_file",
                                                  secrets::state_database_password);
    other_state.extra_config += "state:\n"
                                "  backend: postgresql\n"
                                "  postgresql:\n"
                                "    conninfo: \"host=127.0.0.1 port=9 dbname=blubridge\"\n"
                                "    password_file: pg-password\n";
    line = stack.reload(other_state);
    BOOST_TEST(contains(line, "state changed: it takes effect only at a restart"), line);
    BOOST_TEST(!contains(line, std::string(secrets::state_database_password)), line);
    BOOST_TEST(newcomer->get(customer_302).status == 401u);

    // Each refusal left the old set whole: the sound configuration applies at once.
    BOOST_TEST(contains(stack.reload(good), "reload: ok"));
    BOOST_TEST(newcomer->get(customer_302).status == 200u);
    BOOST_TEST(stack.gateway->running());
}

BOOST_AUTO_TEST_CASE(reloads_under_load_fail_no_request) {
    reload_stack stack;
    std::atomic<bool> done{false};
    std::atomic<unsigned> answered{0};
    std::mutex mutex;
    std::vector<std::string> failures;
    std::thread load([&] {
        http_client c(stack.gateway->host(), stack.gateway->port());
        c.capture_as("gateway");
        c.set_basic_auth(user, password);
        for (unsigned i = 0; !done; ++i) {
            const auto target = i % 2 == 0 ? customer_302 : "/rest/customer?extCustomerRef=12343453454&format=xml";
            try {
                const auto r = c.get(target);
                if (r.status != 200) {
                    std::lock_guard lock(mutex);
                    failures.push_back(target + ": " + std::to_string(r.status) + " " + r.body);
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(mutex);
                failures.push_back(target + ": " + e.what());
            }
            ++answered;
        }
    });
    for (int i = 0; i < 5; ++i) {
        const auto before = answered.load();
        const auto line = stack.reload(i % 2 == 0 ? with_new_client({}) : stack_options{});
        BOOST_TEST(contains(line, "reload: ok"), line);
        while (answered.load() < before + 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // load in between
    }
    done = true;
    load.join();
    BOOST_TEST(failures.empty(), (failures.empty() ? "" : failures.front()));
    BOOST_TEST(answered.load() >= 15u);
}

BOOST_AUTO_TEST_CASE(systemd_hears_reloading_then_ready_with_the_outcome) {
    scratch_dir socket_dir;
    notify_socket manager(socket_dir.path / "notify");
    scoped_env socket_env("NOTIFY_SOCKET", manager.path().string());
    reload_stack stack;
    BOOST_TEST_REQUIRE(!manager.receive_until("READY=1").empty());

    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const auto before_usec = static_cast<std::uint64_t>(now.tv_sec) * 1'000'000u;
    stack.reload(with_new_client({}));
    const auto reloading = manager.receive_until("RELOADING=1");
    BOOST_TEST_REQUIRE(contains(reloading, "MONOTONIC_USEC="), reloading);
    // systemd 253+ (Type=notify-reload) compares it with its own CLOCK_MONOTONIC reading.
    const auto usec = std::stoull(reloading.substr(reloading.find("MONOTONIC_USEC=") + 15));
    BOOST_TEST(usec >= before_usec);
    BOOST_TEST(usec < before_usec + 60'000'000u);
    const auto ready = manager.receive_until("READY=1");
    BOOST_TEST(contains(ready, "STATUS=serving"), ready);
    BOOST_TEST(contains(ready, "last reload applied"), ready);

    auto restart_only = with_new_client({});
    restart_only.extra_limits = "  max_connections: 50\n";
    BOOST_TEST(contains(stack.reload(restart_only), "reload: refused"));
    BOOST_TEST(!manager.receive_until("RELOADING=1").empty());
    const auto refused = manager.receive_until("READY=1");
    BOOST_TEST(contains(refused, "last reload refused"), refused);
    BOOST_TEST(stack.gateway->terminate() == 0, stack.gateway->output());
}

BOOST_AUTO_TEST_CASE(reloads_are_counted_by_result_in_the_metrics) {
    stack_options o;
    o.extra_config = "metrics_listen: 127.0.0.1:0\n";
    reload_stack stack(o);
    const std::string marker = "blubridge metrics on http://127.0.0.1:";
    const auto text = stack.gateway->output();
    BOOST_TEST_REQUIRE(contains(text, marker), text);
    http_client scrape("127.0.0.1", static_cast<unsigned short>(std::stoul(text.substr(text.find(marker) + marker.size()))));
    scrape.capture_as("gateway-metrics");

    BOOST_TEST(contains(stack.reload(with_new_client(o)), "reload: ok"));
    auto restart_only = with_new_client(o);
    restart_only.extra_limits = "  max_connections: 50\n";
    BOOST_TEST(contains(stack.reload(restart_only), "reload: refused"));
    BOOST_TEST(contains(stack.reload(o), "reload: ok"));

    const auto metrics = scrape.get("/metrics").body;
    BOOST_TEST(contains(metrics, "blubridge_reloads_total{result=\"ok\"} 2\n"), metrics);
    BOOST_TEST(contains(metrics, "blubridge_reloads_total{result=\"failed\"} 1\n"), metrics);
}
