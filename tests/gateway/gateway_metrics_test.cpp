// The metrics' text exposition: counts, histograms and the values samplers set at a scrape.
#define BOOST_TEST_MODULE gateway_metrics
#include <boost/test/unit_test.hpp>

#include "gateway_metrics.hpp"

#include <sstream>

namespace gw = blubridge::gateway;
using namespace std::chrono_literals;

namespace {

// The value of the sample `series` (name and labels as exposed), or -1 if absent.
double sample(const std::string& exposition, const std::string& series) {
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(requests_and_upstream_calls_are_counted_and_timed) {
    gw::gateway_metrics m;
    m.request_done("get_customer", 200, 3ms);
    m.request_done("get_customer", 200, 40ms);
    m.request_done("get_customer", 404, 1ms);
    m.upstream_done("GET", "/v1/customers/{id}", 200, 2ms);
    m.upstream_done("POST", "/v1/customers", 0, 5s);
    const auto text = m.exposition();
    BOOST_TEST(sample(text, R"(blubridge_requests_total{route="get_customer",status="200"})") == 2.0, text);
    BOOST_TEST(sample(text, R"(blubridge_requests_total{route="get_customer",status="404"})") == 1.0);
    BOOST_TEST(sample(text, R"(blubridge_request_duration_seconds_count{route="get_customer"})") == 3.0);
    BOOST_TEST(sample(text, R"(blubridge_request_duration_seconds_bucket{route="get_customer",le="0.005"})") == 2.0);
    BOOST_TEST(sample(text, R"(blubridge_request_duration_seconds_bucket{route="get_customer",le="0.05"})") == 3.0);
    BOOST_TEST(sample(text, R"(blubridge_request_duration_seconds_sum{route="get_customer"})") == 0.044, text);
    BOOST_TEST(sample(text, R"(blubridge_upstream_requests_total{method="GET",route="/v1/customers/{id}",status="200"})") ==
               1.0);
    BOOST_TEST(sample(text, R"(blubridge_upstream_requests_total{method="POST",route="/v1/customers",status="error"})") ==
               1.0);
    BOOST_TEST(sample(text, R"(blubridge_upstream_request_duration_seconds_bucket{method="POST",route="/v1/customers",le="2.5"})") ==
               0.0);
    BOOST_TEST(text.find("# TYPE blubridge_requests_total counter") != std::string::npos);
    BOOST_TEST(text.find("# TYPE blubridge_request_duration_seconds histogram") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reloads_start_at_zero_and_count_by_result) {
    gw::gateway_metrics m;
    auto text = m.exposition();
    BOOST_TEST(sample(text, R"(blubridge_reloads_total{result="ok"})") == 0.0, text);
    BOOST_TEST(sample(text, R"(blubridge_reloads_total{result="failed"})") == 0.0);
    m.reload_done(true);
    m.reload_done(false);
    m.reload_done(true);
    text = m.exposition();
    BOOST_TEST(sample(text, R"(blubridge_reloads_total{result="ok"})") == 2.0);
    BOOST_TEST(sample(text, R"(blubridge_reloads_total{result="failed"})") == 1.0);
}

BOOST_AUTO_TEST_CASE(samplers_set_their_values_at_each_scrape) {
    gw::gateway_metrics m;
    std::uint64_t retries = 3;
    std::size_t connections = 2;
    m.add_sampler([&](gw::gateway_metrics& g) {
        g.set_upstream_pool(4, 6, 1, retries);
        g.set_client_connections(connections);
        g.set_directory("1001", 250, 12s);
        g.set_directory("2002", 0, std::nullopt);
        g.set_outbox("1001", 2, 90s);
        g.set_outbox("2002", 0, std::nullopt);
    });
    auto text = m.exposition();
    BOOST_TEST(sample(text, R"(blubridge_upstream_connections{state="in_use"})") == 4.0, text);
    BOOST_TEST(sample(text, R"(blubridge_upstream_connections{state="idle"})") == 6.0);
    BOOST_TEST(sample(text, "blubridge_upstream_waiting_requests") == 1.0);
    BOOST_TEST(sample(text, "blubridge_upstream_retries_total") == 3.0);
    BOOST_TEST(sample(text, "blubridge_client_connections") == 2.0);
    BOOST_TEST(sample(text, R"(blubridge_directory_customers{account="1001"})") == 250.0);
    BOOST_TEST(sample(text, R"(blubridge_directory_seconds_since_pass{account="1001"})") == 12.0);
    BOOST_TEST(sample(text, R"(blubridge_directory_seconds_since_pass{account="2002"})") == -1.0);  // no pass yet
    BOOST_TEST(sample(text, R"(blubridge_callback_outbox_depth{account="1001"})") == 2.0);
    BOOST_TEST(sample(text, R"(blubridge_callback_outbox_oldest_seconds{account="1001"})") == 90.0);
    BOOST_TEST(sample(text, R"(blubridge_callback_outbox_oldest_seconds{account="2002"})") == 0.0);

    retries = 5;
    connections = 0;
    text = m.exposition();
    BOOST_TEST(sample(text, "blubridge_upstream_retries_total") == 5.0);  // follows the pool's total
    BOOST_TEST(sample(text, "blubridge_client_connections") == 0.0);
}
