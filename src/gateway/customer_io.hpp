#pragma once
// The steps customer operations share: find the customer, read its whole graph from
// Billagain, convert between the client's XML and Billagain's JSON.
#include "operation_context.hpp"

#include <blubridge/mapping/dto_mapping.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace blubridge::gateway {

template <class T>
using step = boost::system::result<T, failure>;

/// The Billagain id of the request's customer (from the path, or resolved from
/// extCustomerRef).
net::awaitable<step<std::uint64_t>> customer_id(operation_context& ctx);

/// A customer as Billagain keeps it, with its contacts folded in under the roles the
/// customer mapping declares for the billing and sales contact: the oldest contact is
/// the billing contact, the next one the sales contact.
struct customer_graph {
    std::uint64_t id = 0;
    std::string record;                      ///< the customer record alone, as Billagain sent it
    std::optional<std::string> billing;      ///< its billing contact
    std::optional<std::string> sales;        ///< its sales contact
    std::string combined;                    ///< record + contacts, for the customer mapping
};

/// Reads customer `id` and its contacts. When the request named the customer by
/// reference, checks the record still carries it (a stale cache answer is forgotten and
/// resolved again once).
net::awaitable<step<customer_graph>> read_customer(operation_context& ctx, std::uint64_t id);

/// Resolves the request's customer and reads it, re-resolving once if a cached
/// reference turned out stale.
net::awaitable<step<customer_graph>> read_selected_customer(operation_context& ctx);

/// Request XML → Billagain JSON through `dto`; 400 naming the field on failure.
step<std::string> inbound(const mapping::dto_mapping& dto, std::string_view xml, std::vector<std::string>& ignored);

/// Billagain JSON → BluBilling XML through `dto`; 502 if Billagain's data cannot be shown.
step<std::string> outbound(const mapping::dto_mapping& dto, std::string_view json);

/// A `<status>` document: success flag, the customer's id and reference when known,
/// and error messages.
std::string status_document(const runtime& rt, bool success, std::optional<std::uint64_t> id,
                            const std::optional<std::string>& reference, const std::vector<std::string>& errors);

/// The members `dto` produces on its own when the client sends nothing (declared
/// defaults): an update must not let them overwrite what the customer already has.
std::vector<std::string> default_only_members(const mapping::dto_mapping& dto);

}  // namespace blubridge::gateway
