#pragma once
// An HTTP message as it went over the wire, for the leak capture.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <sstream>
#include <string>

namespace blubridge::test_support {

/// The start line, the fields and the body of `message`.
template <bool is_request>
std::string wire_text(const boost::beast::http::message<is_request, boost::beast::http::string_body>& message) {
    std::ostringstream text;
    text << message.base() << message.body();
    return text.str();
}

}  // namespace blubridge::test_support
