// The framing rules on a parsed request header, without sockets.
#define BOOST_TEST_MODULE http_framing_rules
#include <boost/test/unit_test.hpp>

#include "detail/framing_rules.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace detail = blubridge::http_server::detail;
namespace http = boost::beast::http;

namespace {

// Parses a header as the session does: Beast's own refusals, then the framing rules.
std::optional<detail::refusal> verdict(const std::string& header) {
    http::request_parser<http::string_body> parser;
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(header), ec);
    if (ec) return detail::refusal_for(ec);
    return detail::check_framing(parser.get());
}

}  // namespace

BOOST_AUTO_TEST_CASE(plain_requests_pass) {
    BOOST_TEST(!verdict("GET /rest/customer/1?format=xml HTTP/1.1\r\nHost: t\r\n\r\n"));
    BOOST_TEST(!verdict("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n"));
    BOOST_TEST(!verdict("POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: Chunked\r\n\r\n"));
    BOOST_TEST(!verdict("GET /x HTTP/1.0\r\n\r\n"));
}

BOOST_AUTO_TEST_CASE(transfer_encodings_other_than_exactly_chunked_are_refused) {
    for (const char* te : {"gzip", "chunked, gzip", "gzip, chunked", "xchunked", "identity", "chunked;q=1"}) {
        BOOST_TEST_CONTEXT(te) {
            auto v = verdict(std::string("POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: ") + te + "\r\n\r\n");
            BOOST_TEST_REQUIRE(v.has_value());
            BOOST_TEST((v->status == http::status::bad_request));
        }
    }
}

BOOST_AUTO_TEST_CASE(transfer_encoding_on_http10_is_refused) {
    auto v = verdict("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n");
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(v->reason == "Transfer-Encoding is not allowed on HTTP/1.0");
}

BOOST_AUTO_TEST_CASE(content_length_next_to_an_unknown_coding_is_refused) {
    auto v = verdict("POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\nContent-Length: 0\r\n\r\n");
    BOOST_TEST(v.has_value());
}

BOOST_AUTO_TEST_CASE(repeated_or_listed_content_lengths_are_refused) {
    auto twice = verdict("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n");
    BOOST_TEST_REQUIRE(twice.has_value());
    BOOST_TEST(twice->reason == "more than one Content-Length");
    auto listed = verdict("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3, 3\r\n\r\n");
    BOOST_TEST_REQUIRE(listed.has_value());
    BOOST_TEST(listed->reason == "Content-Length must be one decimal number");
}

BOOST_AUTO_TEST_CASE(host_rules) {
    BOOST_TEST(verdict("GET /x HTTP/1.1\r\n\r\n").has_value());
    BOOST_TEST(verdict("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").has_value());
    BOOST_TEST(verdict("GET /x HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n").has_value());
}

BOOST_AUTO_TEST_CASE(only_origin_form_targets_are_served) {
    BOOST_TEST(verdict("GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n").has_value());
    BOOST_TEST(verdict("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").has_value());
    BOOST_TEST(verdict("CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n").has_value());
}

BOOST_AUTO_TEST_CASE(versions_other_than_1_0_and_1_1_are_refused_by_the_parser) {
    for (const char* version : {"HTTP/0.9", "HTTP/1.2", "HTTP/2.0", "http/1.1"}) {
        BOOST_TEST_CONTEXT(version) {
            BOOST_TEST(verdict(std::string("GET /x ") + version + "\r\nHost: t\r\n\r\n").has_value());
        }
    }
}
