// What an operator sees: one structured log line per request (JSON or logfmt, levels that
// filter, no secret), X-Request-Id from the client or generated, returned and sent on to
// Billagain, and Prometheus metrics on their own listener that count known traffic exactly.
#define BOOST_TEST_MODULE gateway_observability
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <blubridge/auth/basic_authenticator.hpp>

#include <test_support/raw_connection.hpp>

#include <rapidjson/document.h>

#include <regex>
#include <sstream>

using namespace gateway_test;

namespace {

stack_options with(std::string extra_config) {
    stack_options o;
    o.extra_config = std::move(extra_config);
    return o;
}

struct metrics_stack : gateway_stack {
    metrics_stack() : gateway_stack(with("metrics_listen: 127.0.0.1:0\n")) {}

    /// The metrics listener's port, from the line the gateway prints before it listens.
    unsigned short metrics_port() const {
        const std::string marker = "blubridge metrics on http://127.0.0.1:";
        const auto text = gateway->output();
        const auto at = text.find(marker);
        if (at == std::string::npos) throw std::runtime_error("no metrics line: " + text);
        return static_cast<unsigned short>(std::stoul(text.substr(at + marker.size())));
    }
};

/// The value of the sample `series` (name and labels exactly as exposed) or -1 if absent.
double sample(const std::string& exposition, const std::string& series) {
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}

/// The gateway's output lines that are log lines (not the two "blubridge … on http://" ones).
std::vector<std::string> log_lines(const std::string& output) {
    std::vector<std::string> out;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("blubridge ", 0) != 0 && !line.empty()) out.push_back(line);
    }
    return out;
}

bool generated_id(const std::string& id) { return std::regex_match(id, std::regex("[0-9a-f]{32}")); }

std::string header(const http_client::result& r, const char* name) { return std::string(r.headers[name]); }

/// GET `target` on a raw connection: the leak capture keeps it as a request, which may hold
/// a secret, while http_client would also copy the target into its response record.
std::string raw_get(const gateway_stack& stack, const std::string& target) {
    blubridge::test_support::raw_connection c(stack.gateway->host(), stack.gateway->port());
    c.send("GET " + target + " HTTP/1.1\r\nHost: gateway\r\nAuthorization: " +
           blubridge::auth::make_basic_authorization(user, password) + "\r\nConnection: close\r\n\r\n");
    return c.read_until_close();
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(metrics_count_known_traffic_exactly, metrics_stack) {
    http_client scrape("127.0.0.1", metrics_port());
    scrape.capture_as("gateway-metrics");
    for (int i = 0; i < 3; ++i) BOOST_TEST_REQUIRE(get("/rest/customer/302").status == 200u);
    BOOST_TEST_REQUIRE(get("/rest/customer/999999").status == 404u);
    http_client anonymous(gateway->host(), gateway->port());
    anonymous.capture_as("gateway");
    for (int i = 0; i < 2; ++i) BOOST_TEST_REQUIRE(anonymous.get("/rest/customer/302").status == 401u);

    const auto r = scrape.get("/metrics");
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(header(r, "Content-Type").find("text/plain; version=0.0.4") == 0u, header(r, "Content-Type"));
    const auto& m = r.body;
    BOOST_TEST(sample(m, R"(blubridge_requests_total{route="get_customer",status="200"})") == 3.0, m);
    BOOST_TEST(sample(m, R"(blubridge_requests_total{route="get_customer",status="404"})") == 1.0, m);
    BOOST_TEST(sample(m, R"(blubridge_requests_total{route="get_customer",status="401"})") == 2.0, m);
    BOOST_TEST(sample(m, R"(blubridge_request_duration_seconds_count{route="get_customer"})") == 6.0, m);
    // Each answered GET reads the customer and its contacts; the missing one stops at the
    // first, which Billagain answers 410.
    BOOST_TEST(sample(m, R"(blubridge_upstream_requests_total{method="GET",route="/v1/customers/{id}",status="200"})") ==
               3.0, m);
    BOOST_TEST(sample(m, R"(blubridge_upstream_requests_total{method="GET",route="/v1/customers/{id}",status="410"})") ==
               1.0, m);
    BOOST_TEST(
        sample(m, R"(blubridge_upstream_requests_total{method="GET",route="/v1/customers/{id}/contacts",status="200"})") ==
            3.0, m);
    BOOST_TEST(sample(m, R"(blubridge_upstream_retries_total)") == 0.0, m);
    BOOST_TEST(sample(m, R"(blubridge_upstream_waiting_requests)") == 0.0, m);
    BOOST_TEST(sample(m, R"(blubridge_upstream_connections{state="in_use"})") == 0.0, m);
    BOOST_TEST(sample(m, R"(blubridge_client_connections)") >= 1.0, m);  // the test's clients
    BOOST_TEST(sample(m, R"(blubridge_directory_customers{account="1001"})") == double(sandbox_customers()), m);
    BOOST_TEST(sample(m, R"(blubridge_directory_seconds_since_pass{account="1001"})") >= 0.0, m);
    BOOST_TEST(sample(m, R"(blubridge_callback_outbox_depth{account="1001"})") == 0.0, m);
    BOOST_TEST(sample(m, R"(blubridge_reloads_total{result="ok"})") == 0.0, m);
    BOOST_TEST(sample(m, R"(blubridge_reloads_total{result="failed"})") == 0.0, m);

    // The probes are not requests, and the metrics listener wants no credentials.
    BOOST_TEST(sample(m, R"(blubridge_requests_total{route="unrouted",status="200"})") == -1.0);
    BOOST_TEST(scrape.get("/healthz").status == 200u);
    BOOST_TEST(scrape.get("/rest/customer/302").status == 404u);
    BOOST_TEST(scrape.request(http::verb::post, "/metrics").status == 405u);
}

BOOST_FIXTURE_TEST_CASE(the_clients_request_id_is_returned_and_reaches_billagain, gateway_stack) {
    const std::string id = "client-id.42:a_b";
    auto r = client.request(http::verb::get, "/rest/customer/302", {}, {{"X-Request-Id", id}});
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(header(r, "X-Request-Id") == id);
    BOOST_TEST(stats().find("\"" + id + "\"") != std::string::npos, stats());

    // Refusals carry it too: a 401 and a 404 from the router.
    http_client anonymous(gateway->host(), gateway->port());
    anonymous.capture_as("gateway");
    auto refused = anonymous.request(http::verb::get, "/rest/customer/302", {}, {{"X-Request-Id", "id-401"}});
    BOOST_TEST(refused.status == 401u);
    BOOST_TEST(header(refused, "X-Request-Id") == "id-401");
    auto unknown = client.request(http::verb::get, "/rest/nothing", {}, {{"X-Request-Id", "id-404"}});
    BOOST_TEST(unknown.status == 404u);
    BOOST_TEST(header(unknown, "X-Request-Id") == "id-404");
}

BOOST_FIXTURE_TEST_CASE(a_request_id_is_generated_when_none_or_an_unsafe_one_is_given, gateway_stack) {
    const auto first = header(get("/rest/customer/302"), "X-Request-Id");
    const auto second = header(get("/rest/customer/302"), "X-Request-Id");
    BOOST_TEST(generated_id(first), first);
    BOOST_TEST(generated_id(second), second);
    BOOST_TEST(first != second);
    for (const auto& unsafe : {std::string("has space"), std::string(129, 'a'), std::string("semi;colon"),
                               std::string("quote\"d")}) {
        auto r = client.request(http::verb::get, "/rest/customer/302", {}, {{"X-Request-Id", unsafe}});
        BOOST_TEST(generated_id(header(r, "X-Request-Id")), unsafe);
        BOOST_TEST(stats().find(unsafe) == std::string::npos, unsafe);  // not sent on either
    }
    const std::string longest(128, 'b');
    BOOST_TEST(header(client.request(http::verb::get, "/rest/customer/302", {}, {{"X-Request-Id", longest}}),
                      "X-Request-Id") == longest);
}

BOOST_FIXTURE_TEST_CASE(json_log_lines_parse_have_every_field_and_hold_no_secret, gateway_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay", seed_autopay_xml).status == 200u);
    BOOST_TEST_REQUIRE(get("/rest/customer?format=xml&extCustomerRef=bj444").status == 200u);
    // Secrets in a URL are masked too: by the mappings' secret names and as long digit runs.
    const auto masked = raw_get(*this, "/rest/customer/" + id + "?passwd=" + std::string(secrets::contact_password) +
                                           "&cardNumber=" + std::string(secrets::card_number));
    BOOST_TEST(masked.rfind("HTTP/1.1 200", 0) == 0u, masked);
    raw_get(*this, "/rest/customer/" + id + "?note=" + std::string(secrets::card_number));
    client.request(http::verb::get, "/rest/customer/302", {}, {{"X-Request-Id", "log-check-1"}});
    gateway->terminate();

    const auto output = gateway->output();
    const auto lines = log_lines(output);
    BOOST_TEST_REQUIRE(lines.size() >= 6u, output);
    std::size_t requests = 0;
    bool saw_upstream = false, saw_ref = false, saw_given_id = false;
    for (const auto& line : lines) {
        rapidjson::Document d;
        d.Parse(line.data(), line.size());
        BOOST_TEST_REQUIRE((!d.HasParseError() && d.IsObject()), line);
        for (const char* key : {"ts", "level", "event"}) BOOST_TEST_REQUIRE(d.HasMember(key), line);
        if (std::string(d["event"].GetString()) != "request") continue;
        ++requests;
        for (const char* key : {"request_id", "client", "remote", "method", "route", "target", "status", "bytes",
                                "upstream", "ms"})
            BOOST_TEST(d.HasMember(key), key << " in " << line);
        BOOST_TEST(std::string(d["client"].GetString()) == user);
        BOOST_TEST(std::string(d["remote"].GetString()).rfind("127.0.0.1:", 0) == 0u, line);
        if (d["upstream"].Size() > 0) {
            const auto& call = d["upstream"][0];
            saw_upstream = call.HasMember("method") && call.HasMember("route") && call.HasMember("status") &&
                           call.HasMember("ms");
        }
        saw_ref = saw_ref || (d.HasMember("ext_customer_ref") && std::string(d["ext_customer_ref"].GetString()) == "bj444");
        saw_given_id = saw_given_id || std::string(d["request_id"].GetString()) == "log-check-1";
    }
    BOOST_TEST(requests == 6u, output);
    BOOST_TEST(saw_upstream);
    BOOST_TEST(saw_ref);
    BOOST_TEST(saw_given_id);
    BOOST_TEST(output.find(R"("route":"save_autopay")") != std::string::npos, output);
    BOOST_TEST(output.find(R"("event":"directory_pass")") != std::string::npos, output);
    BOOST_TEST(output.find("passwd=***&cardNumber=***") != std::string::npos, output);
    for (const auto& s : secrets::all()) BOOST_TEST(output.find(s.value) == std::string::npos, s.name);
}

BOOST_AUTO_TEST_CASE(logfmt_lines_when_configured) {
    gateway_stack stack(with("log:\n  format: logfmt\n"));
    stack.client.request(http::verb::get, "/rest/customer/302", {}, {{"X-Request-Id", "fmt-1"}});
    stack.gateway->terminate();
    const auto output = stack.gateway->output();
    const std::regex request_line(R"(ts=\S+Z level=info event=request request_id=fmt-1 client=legacy remote=127\.0\.0\.1:\d+ )"
                                  R"(method=GET route=get_customer target=/rest/customer/302 customer_id=302 status=200 )"
                                  R"(bytes=\d+ upstream="method=GET route=/v1/customers/\{id\} status=200 ms=[0-9.]+; )"
                                  R"(method=GET route=/v1/customers/\{id\}/contacts status=200 ms=[0-9.]+" ms=[0-9.]+)");
    BOOST_TEST(std::regex_search(output, request_line), output);
    BOOST_TEST(output.find("event=directory_pass account=1001 ") != std::string::npos, output);
    BOOST_TEST(output.find("{\"ts\"") == std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(lines_below_the_configured_level_are_left_out) {
    gateway_stack stack(with("log:\n  level: warn\n"));
    BOOST_TEST_REQUIRE(stack.get("/rest/customer/302").status == 200u);  // info: not written
    stack.add_fault(R"({"kind":"status","status":500,"count":1,"path_prefix":"/v1/customers/302"})");
    BOOST_TEST_REQUIRE(stack.get("/rest/customer/302").status == 502u);  // warn: written
    stack.gateway->terminate();
    const auto lines = log_lines(stack.gateway->output());
    BOOST_TEST_REQUIRE(lines.size() == 1u, stack.gateway->output());
    BOOST_TEST(lines[0].find(R"("level":"warn","event":"request")") != std::string::npos, lines[0]);
    BOOST_TEST(lines[0].find(R"("status":502)") != std::string::npos, lines[0]);
}

BOOST_FIXTURE_TEST_CASE(a_retried_billagain_call_counts_one_retry_and_one_call, metrics_stack) {
    add_fault(R"({"kind":"drop","count":1,"path_prefix":"/v1/customers/302"})");
    BOOST_TEST_REQUIRE(get("/rest/customer/302").status == 200u);
    http_client scrape("127.0.0.1", metrics_port());
    scrape.capture_as("gateway-metrics");
    const auto m = scrape.get("/metrics").body;
    BOOST_TEST(sample(m, "blubridge_upstream_retries_total") == 1.0, m);
    // The call is counted once, with the status its retry got.
    BOOST_TEST(sample(m, R"(blubridge_upstream_requests_total{method="GET",route="/v1/customers/{id}",status="200"})") ==
               1.0, m);
    BOOST_TEST(sample(m, R"(blubridge_requests_total{route="get_customer",status="200"})") == 1.0, m);
}
