#define BOOST_TEST_MODULE callbacks_detail
#include <boost/test/unit_test.hpp>

#include "detail/callback_url.hpp"

#include <stdexcept>

using blubridge::callbacks::detail::parse_callback_url;

BOOST_AUTO_TEST_CASE(a_url_is_split_for_the_pool_the_request_and_the_log) {
    auto u = parse_callback_url("https://hooks.example.com/blubilling?src=gw&k=v");
    BOOST_TEST(u.base_url == "https://hooks.example.com");
    BOOST_TEST(u.target == "/blubilling?src=gw&k=v");
    BOOST_TEST(u.authorization.empty());
    BOOST_TEST(u.display == "https://hooks.example.com/blubilling");

    u = parse_callback_url("http://127.0.0.1:9000");
    BOOST_TEST(u.base_url == "http://127.0.0.1:9000");
    BOOST_TEST(u.target == "/");
    BOOST_TEST(u.display == "http://127.0.0.1:9000");

    u = parse_callback_url("http://[::1]:8080?x=1");
    BOOST_TEST(u.base_url == "http://[::1]:8080");
    BOOST_TEST(u.target == "/?x=1");

    u = parse_callback_url("http://a%20b:p%40ss@hooks.example.com/in%20box");
    BOOST_TEST(u.authorization == "Basic YSBiOnBAc3M=");  // "a b:p@ss", decoded
    BOOST_TEST(u.target == "/in%20box");                // sent as written
    BOOST_TEST(u.display == "http://hooks.example.com/in%20box");
}

BOOST_AUTO_TEST_CASE(anything_but_absolute_http_is_refused_without_echoing_it) {
    for (const char* url : {"ftp://hooks.example.com/", "hooks.example.com/x", "/path", "http://", "mailto:x@y.z",
                            "https://user:secret@/nohost"}) {
        try {
            parse_callback_url(url);
            BOOST_ERROR(std::string("accepted ") + url);
        } catch (const std::invalid_argument& e) {
            BOOST_TEST(std::string(e.what()).find("secret") == std::string::npos);
        }
    }
}
