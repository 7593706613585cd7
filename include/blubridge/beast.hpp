#pragma once
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace blubridge {
namespace beast = boost::beast;
namespace http = boost::beast::http;
}  // namespace blubridge
