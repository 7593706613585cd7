#pragma once
#include <cstddef>

namespace blubridge::http_server::detail {

/// Descriptors kept back from client connections for everything else the process opens:
/// upstream connections, turned-away clients, files, SQLite, the accepting socket.
inline constexpr std::size_t reserved_descriptors = 128;

/// How many client connections the process can hold without running out of file
/// descriptors: raises the soft RLIMIT_NOFILE to the hard limit (as nginx's
/// worker_rlimit_nofile would), then returns `wanted`, or less when the limit minus the
/// reserve (at most half the limit) is smaller. At least 1.
std::size_t connections_within_descriptor_limit(std::size_t wanted);

}  // namespace blubridge::http_server::detail
