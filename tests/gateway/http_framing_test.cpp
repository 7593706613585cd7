// Request smuggling against the real processes: the malformed-request corpus replayed over
// raw sockets to the gateway and to the sandbox (they share the HTTP server), with valid
// credentials in every request, so a smuggled request that got through would be answered.
#define BOOST_TEST_MODULE gateway_http_framing
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <blubridge/auth/basic_authenticator.hpp>

#include <test_support/http_corpus.hpp>
#include <test_support/raw_connection.hpp>

using namespace gateway_test;
namespace ts = blubridge::test_support;
using namespace std::chrono_literals;

namespace {

std::string authorization_field(const char* name, const char* secret) {
    return "Authorization: " + blubridge::auth::make_basic_authorization(name, secret) + "\r\n";
}

std::string status_code(const std::string& out) {
    const auto space = out.find(' ');
    return space == std::string::npos ? std::string() : out.substr(space + 1, 3);
}

void replay_corpus(const std::string& host, unsigned short port, const std::string& auth) {
    for (const auto& entry : ts::load_corpus(CORPUS_DIR)) {
        BOOST_TEST_CONTEXT(entry.name) {
            ts::raw_connection c(host, port);
            c.send(ts::with_authorization(entry.bytes, auth));
            const std::string out = c.read_until_close(5s);
            BOOST_TEST(ts::count_responses(out) == 1u, out);
            BOOST_TEST(status_code(out) == std::to_string(entry.expected_status), out.substr(0, 60));
            BOOST_TEST(c.closed_by_peer(1s));
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_reported_smuggle_is_refused_and_the_hidden_get_never_answered) {
    gateway_stack stack;
    const std::string auth = authorization_field(user, password);
    for (const char* coding : {"gzip", "chunked, gzip"}) {
        BOOST_TEST_CONTEXT(coding) {
            ts::raw_connection c(stack.gateway->host(), stack.gateway->port());
            c.send("POST /rest/customers?format=xml HTTP/1.1\r\nHost: x\r\n" + auth +
                   "Transfer-Encoding: " + coding + "\r\n\r\n"
                   "GET /rest/customer/302?format=xml HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
            const std::string out = c.read_until_close(5s);
            BOOST_TEST(ts::count_responses(out) == 1u, out);
            BOOST_TEST(out.rfind("HTTP/1.1 400", 0) == 0, out);
            BOOST_TEST(out.find("<customer>") == std::string::npos, out);
            BOOST_TEST(out.find("<success>False</success>") != std::string::npos, out);
        }
    }
    // The same bytes with the coding the gateway reads are a normal pair of requests.
    ts::raw_connection c(stack.gateway->host(), stack.gateway->port());
    c.send("GET /rest/customer/302?format=xml HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
    BOOST_TEST(c.read_responses(1).rfind("HTTP/1.1 200", 0) == 0);
}

BOOST_AUTO_TEST_CASE(gateway_refuses_every_corpus_entry_once_then_closes) {
    gateway_stack stack;
    replay_corpus(stack.gateway->host(), stack.gateway->port(), authorization_field(user, password));
    BOOST_TEST(stack.get("/rest/customer/302?format=xml").status == 200u);  // still serving
}

BOOST_AUTO_TEST_CASE(sandbox_refuses_every_corpus_entry_once_then_closes) {
    gateway_stack stack;
    replay_corpus(stack.sandbox->host(), stack.sandbox->port(), authorization_field(account, api_key));
}
