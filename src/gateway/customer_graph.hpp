#pragma once
// A customer's graph as the gateway reads it from Billagain: the record and its contacts,
// each answer parsed once, with what the gateway keeps folded in (issue 11's "customer graph"
// step between the operations and the mapping).
#include "json_tree.hpp"
#include "operation_context.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::gateway {

/// A customer as Billagain keeps it, with its contacts folded in under the roles the
/// customer mapping declares for the billing and sales contact: the oldest contact is
/// the billing contact, the next one the sales contact.
struct customer_graph {
    std::uint64_t id = 0;
    std::string record;                      ///< the customer record alone, as Billagain sent it
    std::string contacts;                    ///< its contacts list, as Billagain sent it
    /// Its billing and sales contact as Billagain sent them (numbers as written: what a
    /// write sends back). Only writes need them: empty until `split_raw_contacts`.
    std::optional<std::string> billing;
    std::optional<std::string> sales;
    /// Billagain's contacts list parsed; `shown` holds its contacts, so this outlives it.
    std::optional<json::tree> contacts_tree;
    /// The customer as the client is shown it, parsed once (the mappings read this, never
    /// Billagain's record alone): the record with what the gateway keeps of it
    /// (kept_members.hpp), the suspended flag for a customer the gateway suspended, and its
    /// billing and sales contact under the roles the customer mapping declares (the sales
    /// contact with what the gateway keeps of it).
    std::optional<json::tree> shown;

    /// The sales contact as shown (inside `shown`), or null. `role`: the customer
    /// mapping's sales contact role.
    const json::tree::value* sales_shown(std::string_view role) const { return shown->member(role); }
};

/// Fills `billing` and `sales` from `contacts` (a read renders `shown` and never needs
/// them, so only the write paths pay for the split).
std::optional<failure> split_raw_contacts(customer_graph& g);

/// Reads customer `id` and its contacts. When the request named the customer by
/// reference, checks the record still carries it (a stale cache answer is forgotten and
/// resolved again once).
net::awaitable<step<customer_graph>> read_customer(operation_context& ctx, std::uint64_t id);

/// The records of customers `ids` in that order, fetched with `customers_by_id_pages`. Each record read is observed by the directory; an id
/// Billagain no longer has is left out and removed from the directory.
net::awaitable<step<std::vector<std::string>>> customers_by_ids(operation_context& ctx,
                                                                 const std::vector<std::uint64_t>& ids);

/// As customers_by_ids, each record with its contacts (as GET by id shows it): one contacts
/// read per customer, `contact_reads_in_flight` at a time. A page of n customers costs
/// ceil(n / 200) + n upstream requests.
inline constexpr std::size_t contact_reads_in_flight = 8;
net::awaitable<step<std::vector<customer_graph>>> customers_with_contacts(operation_context& ctx,
                                                                           const std::vector<std::uint64_t>& ids);

}  // namespace blubridge::gateway
