// Billagain failing in every way the issue lists — latency past the timeout, 5xx, a
// connection dropped before and after the request, a half-sent answer, malformed JSON, a
// stalled body — seen through the real gateway: the right BluBilling error within the
// deadline, recovery once the fault stops, and what the gateway holds open (all its file
// descriptors, its connections to the upstream, none the upstream closed) back to the
// baseline. Then the circuit breaker: open after repeated failures (503 + Retry-After at
// once), reopened by a failed probe, closed by a good one.
#define BOOST_TEST_MODULE gateway_upstream_faults
#include <boost/test/unit_test.hpp>

#include "fault_proxy.hpp"
#include "gateway_stack.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include <unistd.h>

using namespace gateway_test;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

const std::string xml_type = "application/xml; charset=utf-8";

void expect_error(const http_client::result& r, unsigned status) {
    BOOST_TEST(r.status == status, r.body);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == xml_type);
    BOOST_TEST(element_text(r.body, "success") == "False", r.body);
}

// The upstream request timeout of these stacks; the connect timeout is 2 s, so one
// upstream request's deadline is 3 s.
constexpr auto request_timeout = 1s;
// What a loaded 2-core machine running sanitized builds may add to a bound.
constexpr auto margin = 700ms;

// The gateway's process: the child of this test process running the gateway binary.
pid_t gateway_pid() {
    const auto exe = fs::canonical(required_env("BLUBRIDGE_GATEWAY"));
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c); })) continue;
        std::ifstream stat_file(entry.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(stat_file)), {});
        const auto after_name = stat.rfind(')');
        if (after_name == std::string::npos) continue;
        std::istringstream fields(stat.substr(after_name + 1));
        std::string state;
        pid_t parent = 0;
        fields >> state >> parent;
        if (parent != ::getpid()) continue;
        std::error_code ec;
        if (fs::read_symlink(entry.path() / "exe", ec) == exe && !ec) return static_cast<pid_t>(std::stoi(name));
    }
    throw std::runtime_error("the gateway process was not found under /proc");
}

// What the gateway holds open: all its file descriptors, and of its TCP sockets those
// connected to the upstream port, and how many of these the upstream has already closed
// (CLOSE_WAIT: a connection the gateway failed to close after a fault).
struct socket_census {
    std::size_t fds = 0;
    std::size_t upstream = 0;
    std::size_t closed_by_peer = 0;
};

std::ostream& operator<<(std::ostream& os, const socket_census& c) {
    return os << c.fds << " fds, " << c.upstream << " upstream connections (" << c.closed_by_peer
              << " closed by the peer)";
}

socket_census census(pid_t pid, unsigned short upstream_port) {
    socket_census c;
    std::set<std::string> inodes;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        ++c.fds;
        std::error_code ec;
        const auto link = fs::read_symlink(e.path(), ec).string();
        if (!ec && link.rfind("socket:[", 0) == 0) inodes.insert(link.substr(8, link.size() - 9));
    }
    std::ifstream table("/proc/net/tcp");  // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    std::string line;
    std::getline(table, line);
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
        fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
        const auto colon = remote.find(':');
        if (colon == std::string::npos || !inodes.count(inode)) continue;
        if (std::stoul(remote.substr(colon + 1), nullptr, 16) != upstream_port) continue;
        ++c.upstream;
        if (state == "08") ++c.closed_by_peer;
    }
    return c;
}

// Waits (bounded) until `done()` holds; returns whether it did.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds limit = 10s) {
    const auto give_up = steady::now() + limit;
    while (!done()) {
        if (steady::now() > give_up) return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

struct timed_result {
    http_client::result r;
    steady::duration took;
};

stack_options faulty_options(fault_proxy& proxy, std::string breaker) {
    stack_options o;
    o.request_timeout = "1s";
    o.extra_upstream = std::move(breaker);
    o.upstream_url = [&proxy](unsigned short sandbox_port) {
        proxy.set_target(sandbox_port);
        return proxy.url();
    };
    return o;
}

struct proxy_holder {
    fault_proxy proxy;
};

// The gateway behind the fault proxy, in front of the sandbox.
struct proxied_stack : proxy_holder, gateway_stack {
    explicit proxied_stack(std::string breaker) : gateway_stack(faulty_options(proxy, std::move(breaker))) {}

    timed_result timed(http::verb method, const std::string& target, std::string xml = {}) {
        const auto started = steady::now();
        auto r = xml.empty() ? client.request(method, target)
                             : client.request(method, target, std::move(xml), {{"Content-Type", "application/xml"}});
        return {std::move(r), steady::now() - started};
    }
    timed_result timed_get(const std::string& target) { return timed(http::verb::get, target); }

    socket_census census_now() { return census(gateway_pid(), proxy.port()); }

    /// What the gateway holds open after one successful read (the pool warmed up).
    socket_census baseline() {
        BOOST_TEST_REQUIRE(get("/rest/customer/302").status == 200u);
        const auto c = census_now();
        BOOST_TEST_REQUIRE(c.upstream >= 1u);  // the census sees the pooled connections
        return c;
    }

    /// Clears every fault, checks the gateway serves again and what it holds open returns
    /// to `before` (or less: idle pooled connections may expire), with no connection the
    /// upstream closed left open.
    void expect_recovery(const socket_census& before) {
        clear_faults();
        proxy.clear();
        BOOST_TEST(get("/rest/customer/302").status == 200u);
        socket_census now;
        BOOST_TEST(eventually([&] {
                       now = census_now();
                       return now.fds <= before.fds && now.upstream <= before.upstream && now.closed_by_peer == 0;
                   }),
                   "gateway holds " << now << "; baseline " << before);
        BOOST_TEST_MESSAGE("baseline " << before << "; after the fault " << now);
    }
};

// Each fault alone: the breaker is off so that one fault's failures do not open it.
struct fault_stack : proxied_stack {
    fault_stack() : proxied_stack("  circuit_breaker:\n    failures: 0\n") {}
};

// A breaker that opens after 3 failures for 1 s.
struct breaker_stack : proxied_stack {
    breaker_stack() : proxied_stack("  circuit_breaker:\n    failures: 3\n    open_interval: 1s\n") {}
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(latency_past_the_timeout_is_504_at_the_timeout, fault_stack) {
    const auto before = baseline();
    add_fault(R"({"kind":"latency","latency_ms":2500,"path_prefix":"/v1/customers/302"})");
    for (int i = 0; i < 2; ++i) {
        auto t = timed_get("/rest/customer/302");
        expect_error(t.r, 504);
        BOOST_TEST((t.took >= request_timeout));
        BOOST_TEST((t.took < request_timeout + margin));  // not the 2.5 s the upstream takes
    }
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(upstream_5xx_is_502_at_once_and_not_retried, fault_stack) {
    const auto before = baseline();
    for (const char* status : {"500", "503"}) {
        clear_faults();
        add_fault(std::string(R"({"kind":"status","status":)") + status + R"(,"path_prefix":"/v1/customers/302"})");
        reset_stats();
        auto t = timed_get("/rest/customer/302");
        expect_error(t.r, 502);
        BOOST_TEST(element_text(t.r.body, "error").find(status) != std::string::npos, t.r.body);
        BOOST_TEST((t.took < margin));
        BOOST_TEST(upstream_requests("GET /v1/customers/{id}") == 1u);
    }
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(a_connection_dropped_before_the_request_is_502_after_one_retry, fault_stack) {
    const auto before = baseline();
    add_fault(R"({"kind":"drop","path_prefix":"/v1/customers/302"})");
    reset_stats();
    auto t = timed_get("/rest/customer/302");
    expect_error(t.r, 502);
    BOOST_TEST((t.took < margin));
    BOOST_TEST(upstream_requests("GET /v1/customers/{id}") == 2u);  // the drop and one retry
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(a_connection_dropped_after_a_write_is_502_and_the_write_not_resent, fault_stack) {
    BOOST_TEST_REQUIRE(put("/rest/customer/302", "<customer><name>Warm</name></customer>").status == 200u);
    const auto before = baseline();  // after a write: the state store's files are open
    add_fault(R"({"kind":"drop","when":"after","method":"PUT","path_prefix":"/v1/customers/302"})");
    reset_stats();
    auto t = timed(http::verb::put, "/rest/customer/302", "<customer><name>Dropped</name></customer>");
    expect_error(t.r, 502);
    BOOST_TEST((t.took < margin));
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 1u);
    // Applied before the answer was lost.
    BOOST_TEST(member_of(upstream.get("/v1/customers/302").body, "Name") == "\"Dropped\"");
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(a_half_sent_answer_is_retried_and_502_when_it_persists, fault_stack) {
    const auto before = baseline();
    proxy.inject(fault_proxy::fault::half_sent, 1);
    reset_stats();
    auto once = timed_get("/rest/customer/302");
    BOOST_TEST(once.r.status == 200u, once.r.body);  // the retry got the whole answer
    // The record and the contacts are read at once, and either answer may be the one cut:
    // the two reads and one retry.
    BOOST_TEST(upstream_requests("GET /v1/customers/{id}") + upstream_requests("GET /v1/customers/{id}/contacts") ==
               3u);

    proxy.inject(fault_proxy::fault::half_sent);
    auto always = timed_get("/rest/customer/302");
    expect_error(always.r, 502);
    BOOST_TEST((always.took < margin));
    BOOST_TEST(proxy.fired() >= 3u);
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(malformed_json_is_502, fault_stack) {
    const auto before = baseline();
    add_fault(R"({"kind":"malformed","path_prefix":"/v1/customers/302"})");
    auto t = timed_get("/rest/customer/302");
    expect_error(t.r, 502);
    BOOST_TEST(element_text(t.r.body, "error").find("Billagain") != std::string::npos, t.r.body);
    BOOST_TEST((t.took < margin));
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(a_stalled_body_is_504_at_the_timeout_and_not_retried, fault_stack) {
    const auto before = baseline();
    proxy.inject(fault_proxy::fault::stalled_body);
    reset_stats();
    auto t = timed_get("/rest/customer/302");
    expect_error(t.r, 504);
    BOOST_TEST((t.took >= request_timeout));
    BOOST_TEST((t.took < request_timeout + margin));
    BOOST_TEST(upstream_requests("GET /v1/customers/{id}") == 1u);
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(repeated_5xx_open_the_breaker_then_a_probe_closes_it, breaker_stack) {
    const auto before = baseline();
    add_fault(R"({"kind":"status","status":500,"path_prefix":"/v1/customers/302"})");
    // A GET reads the record and its contacts at once: two failed attempts each, so the
    // second GET makes the breaker's three.
    for (int i = 0; i < 2; ++i) expect_error(get("/rest/customer/302"), 502);

    reset_stats();
    auto refused = timed_get("/rest/customer/302");
    expect_error(refused.r, 503);
    BOOST_TEST(std::string(refused.r.headers[http::field::retry_after]) == "1");
    BOOST_TEST((refused.took < 500ms));  // at once: nothing is sent
    BOOST_TEST(upstream_requests() == 0u);

    // Billagain is healthy again: after the open interval one probe closes the breaker.
    clear_faults();
    BOOST_TEST(eventually([&] {
        auto r = get("/rest/customer/302");
        if (r.status != 503) BOOST_TEST(r.status == 200u, r.body);
        return r.status != 503;
    }, 5s));
    BOOST_TEST(upstream_requests("GET /v1/customers/{id}") == 1u);  // only the probe went out
    for (int i = 0; i < 5; ++i) BOOST_TEST(get("/rest/customer/302").status == 200u);
    expect_recovery(before);
}

BOOST_FIXTURE_TEST_CASE(timeouts_open_the_breaker_and_a_failed_probe_reopens_it, breaker_stack) {
    const auto before = baseline();
    add_fault(R"({"kind":"latency","latency_ms":2500,"path_prefix":"/v1/customers/302"})");
    for (int i = 0; i < 2; ++i) expect_error(get("/rest/customer/302"), 504);  // two attempts each
    auto refused = timed_get("/rest/customer/302");
    expect_error(refused.r, 503);
    BOOST_TEST(!std::string(refused.r.headers[http::field::retry_after]).empty());
    BOOST_TEST((refused.took < 500ms));  // not the 1 s timeout

    // Still slow when the breaker half-opens: the probe times out and it opens again.
    http_client::result probe;
    BOOST_TEST(eventually([&] {
        probe = get("/rest/customer/302");
        return probe.status != 503;
    }, 5s));
    expect_error(probe, 504);
    auto again = timed_get("/rest/customer/302");
    expect_error(again.r, 503);
    BOOST_TEST((again.took < 500ms));

    clear_faults();
    BOOST_TEST(eventually([&] { return get("/rest/customer/302").status == 200; }, 5s));
    expect_recovery(before);
}
