#pragma once
// Integration-test fixture: the real billagain-sandbox and the real blubridge gateway,
// each a child process on a free loopback port, the gateway configured (in a scratch
// folder) to call the sandbox. Clients for both sides.
#include <blubridge/auth/password_hash.hpp>

#include <test_support/child_process.hpp>
#include <test_support/http_client.hpp>
#include <test_support/known_secrets.hpp>

#include <boost/beast/http/verb.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace gateway_test {

namespace http = boost::beast::http;
namespace fs = std::filesystem;
using blubridge::test_support::child_process;
using blubridge::test_support::http_client;
using blubridge::test_support::required_env;

namespace secrets = blubridge::test_support::known_secrets;

// The credentials are the leak scan's known secrets (tests/security).
inline constexpr const char* account = secrets::billagain_account.data();
inline constexpr const char* api_key = secrets::billagain_api_key.data();
inline constexpr const char* user = secrets::client_user.data();
inline constexpr const char* password = secrets::client_password.data();

/// A folder removed when the test ends.
struct scratch_dir {
    fs::path path = fs::temp_directory_path() /
                    ("blubridge-gw-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
    scratch_dir() { fs::create_directories(path); }
    ~scratch_dir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

inline std::unique_ptr<child_process> start_sandbox() {
    return std::make_unique<child_process>(
        required_env("BILLAGAIN_SANDBOX"),
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--account", account, "--api-key", api_key,
                                 "--fixture", required_env("SANDBOX_FIXTURE"), "--threads", "2"});
}

/// What a test may change in the gateway's configuration.
struct stack_options {
    std::string extra_limits;              ///< YAML lines under `limits:`
    std::string request_timeout = "5s";    ///< upstream request timeout
    std::string refresh_interval = "60m";   ///< customer directory refresh (after the first pass)
    std::string extra_config;              ///< further top-level YAML (e.g. `callbacks:`)
    std::string extra_upstream;            ///< YAML lines under `upstream:` (e.g. `circuit_breaker:`)
    /// The gateway's upstream URL, given the sandbox's port (a proxy in front of it);
    /// unset: the sandbox itself.
    std::function<std::string(unsigned short sandbox_port)> upstream_url;
    bool wait_ready = true;                ///< wait for /readyz before the test starts
    std::string mappings_dir;              ///< empty: the shipped mappings ($BLUBRIDGE_MAPPINGS)
};

/// Writes the gateway's configuration for an upstream at `upstream_url`.
inline fs::path write_config(const scratch_dir& dir, const std::string& upstream_url,
                             const stack_options& options = {}) {
    std::ofstream(dir.path / "billagain.key") << api_key << "\n";
    const auto hash = blubridge::auth::hash_password(password, 1000).to_string();
    const fs::path file = dir.path / "gateway.yaml";
    std::ofstream(file) << "listen: 127.0.0.1:0\n"
                           "threads: 2\n"
                           "mappings: " << (options.mappings_dir.empty() ? required_env("BLUBRIDGE_MAPPINGS")
                                                                         : options.mappings_dir) << "\n"
                           "state_dir: state\n"
                           "directory:\n"
                           "  refresh_interval: " << options.refresh_interval << "\n"
                           "limits:\n"
                           "  drain_timeout: 5s\n" << options.extra_limits <<
                           "upstream:\n"
                           "  base_url: " << upstream_url << "\n"
                           "  connect_timeout: 2s\n"
                           "  request_timeout: " << options.request_timeout << "\n" << options.extra_upstream <<
                           "clients:\n"
                           "  - username: " << user << "\n"
                           "    password_hash: \"" << hash << "\"\n"
                           "    billagain:\n"
                           "      account: \"" << account << "\"\n"
                           "      api_key_file: billagain.key\n" << options.extra_config;
    return file;
}

inline std::unique_ptr<child_process> start_gateway(const fs::path& config) {
    return std::make_unique<child_process>(required_env("BLUBRIDGE_GATEWAY"),
                                           std::vector<std::string>{"--config", config.string()});
}

/// Waits until the gateway behind `client` reports ready (/readyz: first directory sync done).
inline void wait_until_ready(http_client& client) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (client.get("/readyz").status != 200) {
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("gateway never became ready");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

/// The sandbox, the gateway in front of it, and clients for both.
struct gateway_stack {
    scratch_dir dir;
    std::unique_ptr<child_process> sandbox;
    fs::path config_file;
    std::unique_ptr<child_process> gateway;
    http_client client;
    http_client upstream;   // Billagain credentials
    http_client control;    // /_sandbox/, no credentials

    explicit gateway_stack(const stack_options& options = {})
        : sandbox(start_sandbox()),
          config_file(write_config(dir, options.upstream_url ? options.upstream_url(sandbox->port()) : sandbox_url(),
                                   options)),
          gateway(start_gateway(config_file)),
          client(gateway->host(), gateway->port()),
          upstream(sandbox->host(), sandbox->port()),
          control(sandbox->host(), sandbox->port()) {
        client.capture_as("gateway");
        upstream.capture_as("sandbox");
        control.capture_as("sandbox");
        client.set_basic_auth(user, password);
        upstream.set_basic_auth(account, api_key);
        if (options.wait_ready) wait_ready();
    }

    /// Stops the gateway (SIGTERM) and starts it again with the same configuration and
    /// state folder; the client follows it to its new port. Does not wait for /readyz.
    void restart_gateway() {
        gateway->terminate();
        gateway = start_gateway(config_file);
        client.retarget(gateway->host(), gateway->port());
    }

    /// Waits until the gateway's customer directory has completed its first full sync.
    void wait_ready() { wait_until_ready(client); }

    /// Requests the sandbox served on /v1 since `reset_stats`, without the directory's
    /// background passes (its list pages): what the requests under test cost.
    unsigned gateway_requests() {
        // One reading: a directory pass between two would make the difference wrap.
        const auto now = stats();
        return count_in(now, "total") - count_in(now, "GET /v1/customers");
    }

    /// Directory passes the gateway has logged so far.
    std::size_t passes() const {
        return occurrences_in_output(R"("event":"directory_pass","account":")" + std::string(account) + "\"");
    }

    /// Waits until the gateway has completed a directory pass that began after this call,
    /// so changes made directly in the sandbox before it are in the directory.
    void await_refresh() {
        const auto target = passes() + 2;  // the pass in flight may have read its pages before the change
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (passes() < target) {
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no directory refresh came");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    std::size_t occurrences_in_output(const std::string& needle) const {
        const auto text = gateway->output();
        std::size_t n = 0;
        for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
        return n;
    }

    std::string sandbox_url() const { return "http://127.0.0.1:" + std::to_string(sandbox->port()); }

    http_client::result get(const std::string& target) { return client.request(http::verb::get, target); }
    http_client::result post(const std::string& target, std::string xml) {
        return client.request(http::verb::post, target, std::move(xml), {{"Content-Type", "application/xml"}});
    }
    http_client::result put(const std::string& target, std::string xml) {
        return client.request(http::verb::put, target, std::move(xml), {{"Content-Type", "application/xml"}});
    }
    http_client::result del(const std::string& target) { return client.request(http::verb::delete_, target); }

    /// Requests the sandbox has served on /v1 since the last `reset_stats`.
    unsigned upstream_requests() { return count_in(stats(), "total"); }
    void reset_stats() { control.request(http::verb::delete_, "/_sandbox/stats"); }

    /// How often the sandbox served `route` (`"POST /v1/customers"`) since `reset_stats`.
    unsigned upstream_requests(const std::string& route) { return count_in(stats(), route); }

    /// The sandbox's counters, read once (several counts from one reading agree).
    std::string stats() { return control.get("/_sandbox/stats").body; }
    static unsigned count_in(const std::string& stats, const std::string& name) {
        const auto at = stats.find("\"" + name + "\":");
        return at == std::string::npos ? 0u : static_cast<unsigned>(std::stoul(stats.substr(at + name.size() + 3)));
    }

    /// Installs a sandbox fault rule (src/sandbox/README.md); throws if refused.
    void add_fault(const std::string& rule_json) {
        auto r = control.request(http::verb::post, "/_sandbox/faults", rule_json,
                                 {{"Content-Type", "application/json"}});
        if (r.status != 201) throw std::runtime_error("fault refused: " + r.body);
    }
    void clear_faults() { control.request(http::verb::delete_, "/_sandbox/faults"); }

    /// Customers in the sandbox right now.
    unsigned sandbox_customers() {
        auto r = control.get("/_sandbox/health");
        const auto at = r.body.find("\"customers\":");
        return at == std::string::npos ? 0u : static_cast<unsigned>(std::stoul(r.body.substr(at + 12)));
    }

    /// Creates the seed's customer with extCustomerRef `ref` through the gateway; its id.
    std::string create_customer(const std::string& ref);

    /// Sets customer `id`'s Reference directly in the sandbox (a change made outside the
    /// gateway): reads the whole record and PUTs it back with the new reference.
    void set_reference_in_sandbox(const std::string& id, const std::string& ref);
};

/// A stack whose directory refreshes every second, for tests of changes made directly
/// in the sandbox (await_refresh).
struct refreshing_stack : gateway_stack {
    static stack_options fast_refresh() {
        stack_options o;
        o.refresh_interval = "1s";
        return o;
    }
    refreshing_stack() : gateway_stack(fast_refresh()) {}
};

/// The seed's sample POST payload (blubilling-rest-customer-api.txt 4.1.4), verbatim; its
/// password, Sachxwe001, is secrets::contact_password.
inline const std::string seed_customer_xml = R"(<customer>
<name>Bill Joseph</name>
<status>Active</status>
<extCustomerRef>bj444</extCustomerRef>
<locale>en_US</locale>
<isBusinessAccount>false</isBusinessAccount>
<paymentTermsValue>30</paymentTermsValue>
<paymentTermsUnits>Days</paymentTermsUnits>
<currency id="USD"/>
<billingContact>
<username>bill0004</username>
<passwd>)" + std::string(secrets::contact_password) + R"(</passwd>
<firstName>Bill</firstName>
<lastName>Joseph</lastName>
<emailPrimary> Bill@bmontgomery.com</emailPrimary>
<workPhone>324 555 879</workPhone>
<address>
<street1>43 Main Av</street1>
<city>Chicago</city>
<state>IL</state>
<zip>12345</zip>
<country>United States</country>
<countryCode>usa</countryCode>
</address>
</billingContact>
</customer>)";

/// The seed's sample autopay payload (4.1.7) with the known card number and CVV in place
/// of the seed's 4111111111111111 and 1234 (a value that turns up by chance elsewhere).
inline const std::string seed_autopay_xml = R"(<autopay>
<paymentMethodDTO type="CreditCard">
<creditCardPaymentMethod>
<autopayPreference>1</autopayPreference>
<cardNumber>)" + std::string(secrets::card_number) + R"(</cardNumber>
<expiry>2010-12-31</expiry>
<cardType>Visa</cardType>
<cardholderName>John Villanova</cardholderName>
<cvv>)" + std::string(secrets::cvv) + R"(</cvv>
<billingAddress>
<street1>9872 Central St</street1>
<city>Anytown</city>
<state>AK</state>
<zip>11001</zip>
<country>USA</country>
</billingAddress>
</creditCardPaymentMethod>
</paymentMethodDTO>
</autopay>)";

/// The seed's customer with another extCustomerRef (and so another identity).
inline std::string customer_xml(const std::string& ref) {
    std::string xml = seed_customer_xml;
    const std::string from = "<extCustomerRef>bj444</extCustomerRef>";
    xml.replace(xml.find(from), from.size(), "<extCustomerRef>" + ref + "</extCustomerRef>");
    return xml;
}

/// The `id` attribute of the first element `name` in `xml`, or "<absent>".
inline std::string id_of(const std::string& xml, const std::string& name) {
    const std::string open = "<" + name + " id=\"";
    const auto at = xml.find(open);
    if (at == std::string::npos) return "<absent>";
    const auto start = at + open.size();
    return xml.substr(start, xml.find('"', start) - start);
}

/// How many times `needle` occurs in `text`.
inline std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

/// The raw JSON value of the first member `name` in compact JSON `json` (strings keep
/// their quotes), or "<absent>". Enough for assertions on the sandbox's flat records.
inline std::string member_of(const std::string& json, const std::string& name) {
    const std::string key = "\"" + name + "\":";
    const auto at = json.find(key);
    if (at == std::string::npos) return "<absent>";
    const auto start = at + key.size();
    if (json[start] == '"') return json.substr(start, json.find('"', start + 1) - start + 1);
    return json.substr(start, json.find_first_of(",}]", start) - start);
}

inline std::string gateway_stack::create_customer(const std::string& ref) {
    auto r = post("/rest/customers?format=xml", customer_xml(ref));
    if (r.status != 200) throw std::runtime_error("create " + ref + " answered " + std::to_string(r.status) + ": " + r.body);
    return id_of(r.body, "customer");
}

inline void gateway_stack::set_reference_in_sandbox(const std::string& id, const std::string& ref) {
    auto current = upstream.get("/v1/customers/" + id);
    if (current.status != 200) throw std::runtime_error("sandbox GET customer " + id + ": " + current.body);
    std::string record = current.body;
    const auto old = member_of(record, "Reference");
    record.replace(record.find("\"Reference\":" + old), 12 + old.size(), "\"Reference\":\"" + ref + "\"");
    auto put = upstream.request(http::verb::put, "/v1/customers/" + id, record, {{"Content-Type", "application/json"}});
    if (put.status != 204) throw std::runtime_error("sandbox PUT customer " + id + ": " + put.body);
}

/// The customer ids of a <list>, in order.
inline std::vector<std::string> listed_ids(const std::string& xml) {
    std::vector<std::string> ids;
    const std::string open = "<customer id=\"";
    for (auto at = xml.find(open); at != std::string::npos; at = xml.find(open, at + 1)) {
        const auto start = at + open.size();
        ids.push_back(xml.substr(start, xml.find('"', start) - start));
    }
    return ids;
}

/// The content of the first element `name` in `xml`, attributes or not, or "<absent>".
inline std::string element_xml(const std::string& xml, const std::string& name) {
    for (auto at = xml.find("<" + name); at != std::string::npos; at = xml.find("<" + name, at + 1)) {
        const auto after = at + 1 + name.size();
        if (xml[after] != '>' && xml[after] != ' ') continue;  // a longer name
        const auto start = xml.find('>', after) + 1;
        return xml.substr(start, xml.find("</" + name + ">", start) - start);
    }
    return "<absent>";
}

/// The text of the first element `name` in `xml` (enough for assertions on flat values).
inline std::string element_text(const std::string& xml, const std::string& name) {
    const auto open = xml.find("<" + name + ">");
    if (open == std::string::npos) return "<absent>";
    const auto start = open + name.size() + 2;
    return xml.substr(start, xml.find("</" + name + ">", start) - start);
}

}  // namespace gateway_test
