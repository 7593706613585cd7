#pragma once
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace blubridge::http_server::detail {

// Completion token for coroutines that want (error_code, result...) tuples instead of
// exceptions: the request path never throws on I/O errors.
inline constexpr auto use_nothrow = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace blubridge::http_server::detail
