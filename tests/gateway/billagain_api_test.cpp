// Billagain calls over a real loopback server: credentials sent, statuses translated.
#define BOOST_TEST_MODULE gateway_billagain_api
#include <boost/test/unit_test.hpp>

#include "billagain_api.hpp"

#include <blubridge/http/server.hpp>
#include <blubridge/upstream/pooled_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>

#include <thread>

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace hs = blubridge::http_server;
namespace gw = blubridge::gateway;

namespace {

// Answers with the status named in the path (/status/410) and echoes Authorization.
class status_handler : public hs::handler {
public:
    net::awaitable<hs::reply> handle(hs::request req, hs::connection_info) override {
        const std::string target(req.target());
        const unsigned status = std::stoul(target.substr(target.rfind('/') + 1));
        hs::reply r;
        r.message = hs::response{static_cast<http::status>(status), req.version()};
        r.message.body() = status < 300 ? std::string(req[http::field::authorization])
                                        : R"({"Errors":[{"Message":"Cannot find Customer for this Account"}]})";
        if (target.find("/echo-id/") != std::string::npos) r.message.body() = std::string(req["X-Request-Id"]);
        co_return r;
    }
};

struct fixture {
    net::io_context server_ioc;
    hs::server srv{server_ioc, std::make_shared<status_handler>(), {}};
    std::thread server_thread;
    net::io_context ioc;
    std::shared_ptr<blubridge::upstream::client> client;

    fixture() {
        BOOST_TEST_REQUIRE(!srv.listen({net::ip::make_address("127.0.0.1"), 0}));
        srv.start();
        server_thread = std::thread([this] { server_ioc.run(); });
        blubridge::upstream::client_options o;
        o.base_url = "http://127.0.0.1:" + std::to_string(srv.local_endpoint().port());
        client = *blubridge::upstream::make_pooled_client(ioc.get_executor(), o);
    }
    ~fixture() {
        srv.shutdown();
        server_thread.join();
    }

    gw::api_result call(std::string target) {
        gw::billagain_api api(*client, gw::basic_authorization("1001", "key"),
                              [](std::string_view body) { return std::string(body.substr(0, 12)); });
        return call(api, std::move(target));
    }
    gw::api_result call(gw::billagain_api& api, std::string target) {
        auto f = net::co_spawn(net::make_strand(ioc), api.get(std::move(target)), net::use_future);
        ioc.restart();
        ioc.run();
        return f.get();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(success_carries_body_and_credentials_were_sent, fixture) {
    auto r = call("/status/200");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->status == 200u);
    BOOST_TEST(r->body == "Basic MTAwMTprZXk=");  // base64("1001:key")
}

BOOST_FIXTURE_TEST_CASE(the_request_id_is_sent_and_each_call_recorded, fixture) {
    gw::billagain_api api(*client, gw::basic_authorization("1001", "key"), {}, "req-7");
    auto r = call(api, "/v1/customers/55/echo-id/200?page=2");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->body == "req-7");
    BOOST_TEST(!call(api, "/v1/customers/56/status/404"));
    BOOST_TEST(api.calls() == 2u);
    const auto& calls = api.calls_made();
    BOOST_TEST(calls[0].method == "GET");
    BOOST_TEST(calls[0].route == "/v1/customers/{id}/echo-id/{id}");
    BOOST_TEST(calls[0].status == 200u);
    BOOST_TEST(calls[1].route == "/v1/customers/{id}/status/{id}");
    BOOST_TEST(calls[1].status == 404u);

    gw::billagain_api anonymous(*client, gw::basic_authorization("1001", "key"), {});  // no id: no header
    BOOST_TEST(call(anonymous, "/echo-id/200")->body == "");
}

BOOST_AUTO_TEST_CASE(paths_become_templates) {
    BOOST_TEST(gw::path_template("/v1/customers/302/contacts?page=1") == "/v1/customers/{id}/contacts");
    BOOST_TEST(gw::path_template("/v1/customers?page=3&page_size=200") == "/v1/customers");
    BOOST_TEST(gw::path_template("/v1/by_customer_ids") == "/v1/by_customer_ids");
    BOOST_TEST(gw::path_template("/v2x/12a/7") == "/v2x/12a/{id}");
    BOOST_TEST(gw::path_template("/") == "/");
}

BOOST_FIXTURE_TEST_CASE(gone_customer_is_not_found_with_the_upstream_message, fixture) {
    auto r = call("/status/410");
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error().status == http::status::not_found);
    BOOST_TEST(r.error().message == R"({"Errors":[{)");  // whatever the describer extracted
}

BOOST_FIXTURE_TEST_CASE(upstream_statuses_are_translated, fixture) {
    const std::pair<unsigned, http::status> cases[] = {
        {400, http::status::bad_request},   {404, http::status::not_found},
        {409, http::status::bad_request},      {401, http::status::bad_gateway},
        {403, http::status::bad_gateway},   {429, http::status::service_unavailable},
        {500, http::status::bad_gateway},   {503, http::status::bad_gateway},
    };
    for (auto [upstream, expected] : cases) {
        auto r = call("/status/" + std::to_string(upstream));
        BOOST_TEST_REQUIRE(r.has_error(), upstream);
        BOOST_TEST(r.error().status == expected, upstream);
    }
}

BOOST_AUTO_TEST_CASE(transport_failures_are_translated) {
    namespace up = blubridge::upstream;
    BOOST_TEST(gw::failure_from_transport(up::make_error_code(up::error::timed_out)).status == http::status::gateway_timeout);
    BOOST_TEST(gw::failure_from_transport(up::make_error_code(up::error::pool_exhausted)).status == http::status::service_unavailable);
    BOOST_TEST(gw::failure_from_transport(up::make_error_code(up::error::connect_failed)).status == http::status::bad_gateway);
    BOOST_TEST(gw::failure_from_transport(up::make_error_code(up::error::connect_failed)).message.find("unreachable") != std::string::npos);
    BOOST_TEST(gw::failure_from_transport(up::make_error_code(up::error::connect_failed)).retry_after_seconds == 0u);
}

BOOST_AUTO_TEST_CASE(an_open_circuit_breaker_is_503_with_retry_after) {
    namespace up = blubridge::upstream;
    const auto open = up::make_error_code(up::error::circuit_open);
    BOOST_TEST(gw::failure_from_transport(open, std::chrono::seconds(4)).status == http::status::service_unavailable);
    BOOST_TEST(gw::failure_from_transport(open, std::chrono::seconds(4)).retry_after_seconds == 4u);
    BOOST_TEST(gw::failure_from_transport(open).retry_after_seconds == 1u);  // never "Retry-After: 0"
}

BOOST_AUTO_TEST_CASE(long_digit_runs_are_redacted_from_upstream_messages) {
    BOOST_TEST(gw::redact_long_numbers("card 4111111111111111 declined") == "card *** declined");
    BOOST_TEST(gw::redact_long_numbers("card 4111 1111 1111 1111.") == "card ***.");
    BOOST_TEST(gw::redact_long_numbers("acct 1234-5678-9012-34") == "acct ***");
    BOOST_TEST(gw::redact_long_numbers("customer 10622 page 2") == "customer 10622 page 2");
    BOOST_TEST(gw::redact_long_numbers("+27 789 789") == "+27 789 789");
    BOOST_TEST(gw::redact_long_numbers("2016-03-11") == "2016-03-11");
    BOOST_TEST(gw::redact_long_numbers("") == "");
    BOOST_TEST(gw::redact_long_numbers("123456789012") == "***");
}
