#define BOOST_TEST_MODULE sandbox basic_auth
#include <sandbox/basic_auth.hpp>

#include <boost/test/unit_test.hpp>

using blubridge::sandbox::basic_auth;

BOOST_AUTO_TEST_CASE(accepts_the_right_credentials_only) {
    basic_auth auth("1000", "secret");
    // base64("1000:secret") = MTAwMDpzZWNyZXQ=
    BOOST_TEST(auth.accepts("Basic MTAwMDpzZWNyZXQ="));
    BOOST_TEST(auth.accepts("basic MTAwMDpzZWNyZXQ="));
    BOOST_TEST(auth.accepts("BASIC  MTAwMDpzZWNyZXQ= "));
    BOOST_TEST(!auth.accepts(""));
    BOOST_TEST(!auth.accepts("Basic"));
    BOOST_TEST(!auth.accepts("Bearer MTAwMDpzZWNyZXQ="));
    BOOST_TEST(!auth.accepts("Basic MTAwMDpzZWNyZXR4"));  // 1000:secretx
    BOOST_TEST(!auth.accepts("Basic MTAwMTpzZWNyZXQ="));  // 1001:secret
    BOOST_TEST(!auth.accepts("Basic MTAwMDpzZWNyZXQ=!!"));
    BOOST_TEST(!auth.accepts("Basic " + std::string(5000, 'A')));
}
