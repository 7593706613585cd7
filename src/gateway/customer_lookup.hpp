#pragma once
// Finding the request's customer: by id or extCustomerRef, confirmed against what Billagain
// holds, and locked for a read-merge-write; references checked and held while a create or an
// update gives one away.
#include "customer_graph.hpp"
#include "keyed_mutex.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace blubridge::gateway {

/// The Billagain id of the request's customer (from the path, or resolved from
/// extCustomerRef).
net::awaitable<step<std::uint64_t>> customer_id(operation_context& ctx);

/// As `customer_id`, but a reference is confirmed against the customer record (one
/// upstream read): a stale cached answer is forgotten and resolved afresh once.
net::awaitable<step<std::uint64_t>> confirmed_customer_id(operation_context& ctx);

/// Resolves the request's customer and reads it, re-resolving once if a cached
/// reference turned out stale.
net::awaitable<step<customer_graph>> read_selected_customer(operation_context& ctx);

/// The request's customer, read while holding its per-customer lock, so a
/// read-merge-write through this gateway never interleaves with another. When the
/// request names a reference, it is resolved afresh (not from the cache), so a reference
/// shared by two customers is refused as a conflict; if it still moves before the read, the
/// lock follows the customer actually read.
struct locked_customer {
    keyed_mutex::guard guard;
    customer_graph graph;
};
net::awaitable<step<locked_customer>> lock_selected_customer(operation_context& ctx);

/// The resolver's calls, from memory where it can answer and otherwise through
/// state_call (off the I/O thread when the state is shared).
net::awaitable<boost::system::result<std::uint64_t, failure>> resolve_reference(operation_context& ctx,
                                                                              const std::string& ref);
net::awaitable<void> observe_record(operation_context& ctx, std::string_view record);
net::awaitable<void> forget_customer(operation_context& ctx, std::uint64_t id);

/// Held while a reference is being given to a customer, from the in-use check until the
/// customer carrying it has been read back into the directory, so two concurrent
/// requests cannot both find a reference free and both take it.
net::awaitable<step<keyed_mutex::guard>> lock_reference(operation_context& ctx, const std::string& ref);

/// The gateway's own lock on `key`, and, with state shared by several gateways, the lock
/// named `shared_name` across them (taken after the own one, so one request per gateway
/// asks the database; waited for up to 30 s, then 503). The database unreachable: 503.
net::awaitable<step<keyed_mutex::guard>> lock_for_write(operation_context& ctx, std::uint64_t key,
                                                        std::string shared_name);

/// A conflict naming the customer that already has extCustomerRef `ref` and the one that
/// asked for it (`taker`, or the new customer of a create), checked before any write.
net::awaitable<std::optional<failure>> refuse_reference_in_use(operation_context& ctx, const std::string& ref,
                                                               std::optional<std::uint64_t> taker = std::nullopt);

}  // namespace blubridge::gateway
