#pragma once
// Namespace aliases so `boost::asio` and `boost::beast` are spelled once.
#include <boost/asio/any_io_executor.hpp>

namespace blubridge {
namespace net = boost::asio;
}  // namespace blubridge
