#define BOOST_TEST_MODULE sandbox sandbox_handler
// The handler driven directly as a coroutine, without sockets: authentication, routing,
// counting and every fault kind.
#include "sandbox_test_support.hpp"

#include <sandbox/fixture_loader.hpp>
#include <sandbox/sandbox_handler.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/detail/base64.hpp>

#include <chrono>

using namespace blubridge::sandbox;
namespace http = boost::beast::http;
namespace net = boost::asio;
using blubridge::http_server::reply;
using blubridge::http_server::request;

namespace {

struct harness {
    std::shared_ptr<store> data = std::make_shared<store>(fixture_from_json(sandbox_test::fixture_text()));
    sandbox_handler handler{data, basic_auth("1000", "key")};

    reply call(http::verb method, const std::string& target, std::string body = {}, bool authorized = true) {
        request req{method, target, 11};
        if (authorized) {
            const std::string user = "1000:key";
            std::string token(boost::beast::detail::base64::encoded_size(user.size()), '\0');
            token.resize(boost::beast::detail::base64::encode(token.data(), user.data(), user.size()));
            req.set(http::field::authorization, "Basic " + token);
        }
        req.body() = std::move(body);
        net::io_context ioc;
        std::optional<reply> out;
        net::co_spawn(ioc, handler.handle(std::move(req), {}), [&](std::exception_ptr e, reply r) {
            BOOST_TEST_REQUIRE(!e);
            out = std::move(r);
        });
        ioc.run();
        BOOST_TEST_REQUIRE(out.has_value());
        return std::move(*out);
    }
    unsigned status(http::verb method, const std::string& target, std::string body = {}) {
        return call(method, target, std::move(body)).message.result_int();
    }
    void add_fault(const std::string& spec) {
        BOOST_TEST_REQUIRE(call(http::verb::post, "/_sandbox/faults", spec, false).message.result_int() == 201u);
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(answers_json_with_credentials_only) {
    harness h;
    auto r = h.call(http::verb::get, "/v1/customers/302");
    BOOST_TEST(r.message.result_int() == 200u);
    BOOST_TEST(std::string(r.message[http::field::content_type]) == "application/json; charset=utf-8");
    BOOST_TEST(r.message.body().find("\"customerID\":302") != std::string::npos);
    r = h.call(http::verb::get, "/v1/customers/302", {}, false);
    BOOST_TEST(r.message.result_int() == 401u);
    BOOST_TEST(std::string(r.message[http::field::www_authenticate]) == "Basic realm=\"Billagain\"");
    BOOST_TEST(h.status(http::verb::get, "/v1/customers/nope") == 404u);
    BOOST_TEST(h.status(http::verb::patch, "/v1/customers/302") == 405u);
    BOOST_TEST(h.status(http::verb::get, "/v2/customers") == 404u);
    BOOST_TEST(h.status(http::verb::get, "/v1/customers/302/archive") == 405u);
    auto no_content = h.call(http::verb::put, "/v1/customers/302/archive");
    BOOST_TEST(no_content.message.result_int() == 204u);
    BOOST_TEST(no_content.message.body().empty());
}

BOOST_AUTO_TEST_CASE(counts_v1_requests_only) {
    harness h;
    h.status(http::verb::get, "/v1/customers/302");
    h.call(http::verb::get, "/v1/customers/302", {}, false);  // unauthorised: still counted
    h.status(http::verb::get, "/_sandbox/health");
    BOOST_TEST(h.handler.stats().total() == 2u);
}

BOOST_AUTO_TEST_CASE(status_fault_before_leaves_data_alone) {
    harness h;
    h.add_fault(R"({"kind":"status","status":503,"count":1})");
    BOOST_TEST(h.status(http::verb::put, "/v1/customers/302/archive") == 503u);
    BOOST_TEST(h.call(http::verb::get, "/v1/customers/302").message.body().find("\"isActive\":true") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(drop_fault) {
    harness h;
    h.add_fault(R"({"kind":"drop","count":1,"when":"after"})");
    BOOST_TEST(h.call(http::verb::put, "/v1/customers/302/archive").drop_connection);
    BOOST_TEST(h.call(http::verb::get, "/v1/customers/302").message.body().find("\"isActive\":false") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_fault_on_an_empty_answer) {
    harness h;
    h.add_fault(R"({"kind":"malformed","count":1})");
    auto r = h.call(http::verb::put, "/v1/customers/302/reopen");
    BOOST_TEST(r.message.result_int() == 200u);
    BOOST_TEST(r.message.body() == "{");
}

BOOST_AUTO_TEST_CASE(latency_fault_waits_on_a_timer) {
    harness h;
    h.add_fault(R"({"kind":"latency","latency_ms":40,"count":1})");
    const auto t0 = std::chrono::steady_clock::now();
    BOOST_TEST(h.status(http::verb::get, "/v1/customers/302") == 200u);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST(ms >= 40);
}

BOOST_AUTO_TEST_CASE(protocol_errors_are_billagain_json) {
    harness h;
    auto res = h.handler.protocol_error(http::status::payload_too_large, "body limit exceeded", 11);
    BOOST_TEST(res.result_int() == 413u);
    BOOST_TEST(res.body() == R"({"Errors":[{"Message":"The request was refused: body limit exceeded"}]})");
    BOOST_TEST(!res.keep_alive());
}
