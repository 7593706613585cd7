#pragma once
#include <blubridge/net.hpp>
#include <blubridge/upstream/client.hpp>
#include <blubridge/upstream/client_options.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>

#include <memory>
#include <vector>

namespace blubridge::upstream {

/// A keep-alive connection pool to one upstream host, over HTTP or HTTPS (certificate
/// chain and host name verified, SNI sent), with the options' timeouts, bounded wait
/// queue and retry policy.
///
/// Fails with `error::invalid_url` for an unusable base URL, or a system error when the
/// CA file cannot be loaded.
boost::system::result<std::shared_ptr<client>> make_pooled_client(net::any_io_executor executor,
                                                                  const client_options& options);

/// As above, with one pool per executor (one per I/O thread's `io_context`): a request
/// uses the pool of the context it runs on, so its upstream I/O never leaves its thread
/// (a caller on any other executor uses the first pool). The limits are shared out:
/// each pool holds `max_connections / n` connections and `max_waiting / n` waiters (at
/// least one each); the retry budget and the circuit breaker stay one for the host.
boost::system::result<std::shared_ptr<client>> make_pooled_client(const std::vector<net::any_io_executor>& executors,
                                                                  const client_options& options);

}  // namespace blubridge::upstream
