// A mapping whose unknown-element policy is `ignore`: the request goes through, and what
// was dropped is named in a response header and in the request's log line.
#define BOOST_TEST_MODULE gateway_unknown_policy
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <fstream>
#include <iterator>

using namespace gateway_test;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The shipped mappings with the customer mapping's policy switched to `ignore`.
fs::path lenient_mappings(const scratch_dir& dir) {
    const fs::path copy = dir.path / "mappings";
    fs::copy(required_env("BLUBRIDGE_MAPPINGS"), copy, fs::copy_options::recursive);
    std::string yaml = read_file(copy / "customer.yaml");
    const auto at = yaml.find("unknown: reject", yaml.find("name: customer"));
    BOOST_TEST_REQUIRE(at != std::string::npos);
    yaml.replace(at, 15, "unknown: ignore");
    std::ofstream(copy / "customer.yaml") << yaml;
    return copy;
}

}  // namespace

BOOST_AUTO_TEST_CASE(ignored_elements_are_reported_not_lost_silently) {
    scratch_dir dir;
    auto sandbox = start_sandbox();
    const auto config = write_config(dir, "http://127.0.0.1:" + std::to_string(sandbox->port()));
    std::string text = read_file(config);
    const auto at = text.find("mappings: ");
    text.replace(at, text.find('\n', at) - at, "mappings: " + lenient_mappings(dir).string());
    std::ofstream(config) << text;
    auto gateway = start_gateway(config);

    http_client client(gateway->host(), gateway->port());
    client.set_basic_auth(user, password);
    wait_until_ready(client);
    std::string xml = seed_customer_xml;
    xml.replace(xml.find("<locale>"), 0, "<favouriteColour>blue</favouriteColour><shoeSize>44</shoeSize>");
    auto r = client.request(http::verb::post, "/rest/customers?format=xml", xml);
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    const std::string header(r.headers["X-Blubridge-Ignored-Elements"]);
    BOOST_TEST(header.find("customer/favouriteColour") != std::string::npos, header);
    BOOST_TEST(header.find("customer/shoeSize") != std::string::npos, header);
    BOOST_TEST(r.body.find("favouriteColour") == std::string::npos);

    gateway->terminate();
    const auto log = gateway->output();
    BOOST_TEST(log.find(R"("ignored":"customer/favouriteColour, customer/shoeSize")") != std::string::npos, log);
}

BOOST_FIXTURE_TEST_CASE(the_shipped_policy_rejects_and_lists_every_unknown_path, gateway_stack) {
    std::string xml = seed_customer_xml;
    xml.replace(xml.find("<locale>"), 0, "<favouriteColour>blue</favouriteColour><shoeSize>44</shoeSize>");
    auto r = post("/rest/customers?format=xml", xml);
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body.find("customer/favouriteColour") != std::string::npos, r.body);
    BOOST_TEST(r.body.find("customer/shoeSize") != std::string::npos, r.body);
    BOOST_TEST(upstream.get("/v1/customers?page=1&page_size=200").body.find("bj444") == std::string::npos);
}
