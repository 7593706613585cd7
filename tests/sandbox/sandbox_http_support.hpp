#pragma once
// Integration-test fixture: the real billagain-sandbox process on a free loopback port,
// loaded with config/sandbox-fixture.json, and a keep-alive client with its credentials.
#include "sandbox_test_support.hpp"

#include <test_support/child_process.hpp>
#include <test_support/http_client.hpp>

#include <boost/beast/http/verb.hpp>

#include <memory>
#include <string>

namespace sandbox_test {

namespace http = boost::beast::http;
using blubridge::test_support::child_process;
using blubridge::test_support::http_client;

inline constexpr const char* account = "1000";
inline constexpr const char* api_key = "sandbox-test-key";

struct running_sandbox {
    child_process process{blubridge::test_support::required_env("BILLAGAIN_SANDBOX"),
                          {"--listen", "127.0.0.1:0", "--account", account, "--api-key", api_key, "--fixture",
                           SANDBOX_FIXTURE, "--threads", "2"}};
    http_client client{process.host(), process.port()};
    http_client control{process.host(), process.port()};  // no credentials: /_sandbox/ needs none

    running_sandbox() { client.set_basic_auth(account, api_key); }

    http_client::result get(const std::string& target) { return client.request(http::verb::get, target); }
    http_client::result post(const std::string& target, std::string body) {
        return client.request(http::verb::post, target, std::move(body), {{"Content-Type", "application/json"}});
    }
    http_client::result put(const std::string& target, std::string body = {}) {
        return client.request(http::verb::put, target, std::move(body), {{"Content-Type", "application/json"}});
    }
    http_client::result del(const std::string& target) { return client.request(http::verb::delete_, target); }
};

/// The single Errors[0].Message of a Billagain error body.
inline std::string error_message(const std::string& body) {
    const auto doc = parse(body);
    const auto* errors = doc.find("Errors");
    BOOST_TEST_REQUIRE((errors && errors->is_array() && errors->items().size() == 1u), body);
    return errors->items()[0].find("Message")->text();
}

inline std::int64_t id_member(const std::string& body, const char* member) {
    std::int64_t id = 0;
    const auto doc = parse(body);
    BOOST_TEST_REQUIRE(doc.find(member) != nullptr);
    blubridge::sandbox::integer_from_text(doc.find(member)->text(), id);
    return id;
}

}  // namespace sandbox_test
