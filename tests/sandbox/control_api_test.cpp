#define BOOST_TEST_MODULE sandbox control API authentication and faults over HTTP
#include "sandbox_http_support.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>

using namespace sandbox_test;

namespace {
http_client::result control(running_sandbox& sb, http::verb m, const std::string& target, std::string body = {}) {
    return sb.control.request(m, target, std::move(body), {{"Content-Type", "application/json"}});
}
}  // namespace

BOOST_AUTO_TEST_CASE(authentication) {
    running_sandbox sb;
    http_client anonymous(sb.process.host(), sb.process.port());
    auto r = anonymous.get("/v1/customers/302");
    BOOST_TEST(r.status == 401u);
    BOOST_TEST(std::string(r.headers[http::field::www_authenticate]) == "Basic realm=\"Billagain\"");
    error_message(r.body);
    anonymous.set_basic_auth(account, "wrong");
    BOOST_TEST(anonymous.get("/v1/customers/302").status == 401u);
    anonymous.set_basic_auth("999", api_key);
    BOOST_TEST(anonymous.get("/v1/customers/302").status == 401u);
    anonymous.set_basic_auth(account, api_key);
    BOOST_TEST(anonymous.get("/v1/customers/302").status == 200u);
    BOOST_TEST(control(sb, http::verb::get, "/_sandbox/health").status == 200u);  // no credentials
}

BOOST_AUTO_TEST_CASE(stats_count_v1_requests) {
    running_sandbox sb;
    BOOST_TEST(control(sb, http::verb::delete_, "/_sandbox/stats").status == 204u);
    sb.get("/v1/customers/302");
    sb.get("/v1/customers/300");
    sb.post("/v1/by_customer_ids", R"({"ids":[300]})");
    sb.get("/v1/nowhere");
    control(sb, http::verb::get, "/_sandbox/health");  // control requests are not counted
    auto r = control(sb, http::verb::get, "/_sandbox/stats");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body ==
               R"({"total":4,"routes":{"POST /v1/by_customer_ids":1,"GET /v1/customers/{id}":2},"unmatched":1,)"
               R"("request_ids":[]})");
    control(sb, http::verb::delete_, "/_sandbox/stats");
    BOOST_TEST(parse(control(sb, http::verb::get, "/_sandbox/stats").body).find("total")->text() == "0");
}

BOOST_AUTO_TEST_CASE(reset_and_bulk) {
    running_sandbox sb;
    BOOST_TEST(sb.del("/v1/customers/302").status == 204u);
    auto r = control(sb, http::verb::post, "/_sandbox/customers/bulk?count=1000");
    BOOST_TEST(r.status == 201u);
    BOOST_TEST(parse(r.body).find("firstCustomerID")->text() == "10623");
    BOOST_TEST(parse(control(sb, http::verb::get, "/_sandbox/health").body).find("customers")->text() == "1005");
    BOOST_TEST(control(sb, http::verb::post, "/_sandbox/reset").status == 204u);
    BOOST_TEST(sb.get("/v1/customers/302").status == 200u);
    BOOST_TEST(parse(control(sb, http::verb::get, "/_sandbox/health").body).find("customers")->text() == "6");
    BOOST_TEST(control(sb, http::verb::post, "/_sandbox/customers/bulk?count=0").status == 400u);
    BOOST_TEST(control(sb, http::verb::post, "/_sandbox/customers/bulk?count=x").status == 400u);
    BOOST_TEST(control(sb, http::verb::post, "/_sandbox/customers/bulk").status == 400u);
    BOOST_TEST(control(sb, http::verb::get, "/_sandbox/reset").status == 405u);
    BOOST_TEST(control(sb, http::verb::get, "/_sandbox/nothing").status == 404u);
}

BOOST_AUTO_TEST_CASE(status_fault_for_n_requests) {
    running_sandbox sb;
    auto r = control(sb, http::verb::post, "/_sandbox/faults",
                     R"({"kind":"status","status":503,"count":2,"path_prefix":"/v1/customers"})");
    BOOST_TEST(r.status == 201u);
    BOOST_TEST(sb.get("/v1/subscriptions/10186").status == 200u);  // other prefix
    r = sb.get("/v1/customers/302");
    BOOST_TEST(r.status == 503u);
    BOOST_TEST(error_message(r.body).find("Injected") != std::string::npos);
    BOOST_TEST(sb.get("/v1/customers/302").status == 503u);
    BOOST_TEST(sb.get("/v1/customers/302").status == 200u);
    BOOST_TEST(control(sb, http::verb::get, "/_sandbox/faults").body == "[]");
    BOOST_TEST(control(sb, http::verb::post, "/_sandbox/faults", R"({"kind":"nope"})").status == 400u);
    BOOST_TEST(control(sb, http::verb::post, "/_sandbox/faults", "{").status == 400u);
}

BOOST_AUTO_TEST_CASE(status_fault_after_the_write) {
    running_sandbox sb;
    control(sb, http::verb::post, "/_sandbox/faults", R"({"kind":"status","status":500,"count":1,"when":"after"})");
    BOOST_TEST(sb.put("/v1/customers/302/archive").status == 500u);
    BOOST_TEST(!parse(sb.get("/v1/customers/302").body).find("isActive")->as_bool());  // it happened
}

BOOST_AUTO_TEST_CASE(latency_fault) {
    running_sandbox sb;
    control(sb, http::verb::post, "/_sandbox/faults", R"({"kind":"latency","latency_ms":300,"count":1})");
    const auto t0 = std::chrono::steady_clock::now();
    BOOST_TEST(sb.get("/v1/customers/302").status == 200u);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST(elapsed >= 300);
}

BOOST_AUTO_TEST_CASE(drop_fault_closes_the_connection) {
    running_sandbox sb;
    control(sb, http::verb::post, "/_sandbox/faults", R"({"kind":"drop","count":1})");
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket sock(ioc);
    sock.connect({net::ip::make_address(sb.process.host()), sb.process.port()});
    const std::string req = "GET /v1/customers/302 HTTP/1.1\r\nHost: x\r\n\r\n";
    net::write(sock, net::buffer(req));
    char buf[64];
    boost::system::error_code ec;
    const auto n = net::read(sock, net::buffer(buf), ec);
    BOOST_TEST(n == 0u);
    BOOST_TEST((ec == net::error::eof || ec == net::error::connection_reset), ec.message());
    sb.client.disconnect();
    BOOST_TEST(sb.get("/v1/customers/302").status == 200u);  // count was 1
}

BOOST_AUTO_TEST_CASE(malformed_fault_and_fraction) {
    running_sandbox sb;
    control(sb, http::verb::post, "/_sandbox/faults", R"({"kind":"malformed","count":1})");
    auto r = sb.get("/v1/customers/302");
    BOOST_TEST(r.status == 200u);
    blubridge::sandbox::json_parse_error e;
    BOOST_TEST(!blubridge::sandbox::parse_json(r.body, e).has_value());
    BOOST_TEST(!r.body.empty());

    control(sb, http::verb::post, "/_sandbox/faults", R"({"kind":"status","status":502,"fraction":0.5})");
    int failed = 0;
    for (int i = 0; i < 200; ++i) failed += sb.get("/v1/customers/302").status == 502u;
    BOOST_TEST(failed > 50);
    BOOST_TEST(failed < 150);
    BOOST_TEST(control(sb, http::verb::delete_, "/_sandbox/faults").status == 204u);
    BOOST_TEST(sb.get("/v1/customers/302").status == 200u);
}

BOOST_AUTO_TEST_CASE(graceful_stop) {
    running_sandbox sb;
    BOOST_TEST(sb.get("/v1/customers/302").status == 200u);
    BOOST_TEST(sb.process.terminate() == 0);
}

BOOST_AUTO_TEST_CASE(server_refusals_are_billagain_json) {
    running_sandbox sb;
    auto r = sb.client.request(http::verb::get, "/v1/customers/302", {}, {{"X-Big", std::string(10 * 1024, 'a')}});
    BOOST_TEST(r.status == 431u);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == "application/json; charset=utf-8");
    BOOST_TEST(error_message(r.body).find("refused") != std::string::npos);
    sb.client.disconnect();
    BOOST_TEST(sb.get("/v1/customers/302").status == 200u);
}
