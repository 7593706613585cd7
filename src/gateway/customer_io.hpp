#pragma once
// The steps customer operations share: find the customer, read its whole graph from
// Billagain, convert between the client's XML and Billagain's JSON.
#include "json_tree.hpp"
#include "keyed_mutex.hpp"
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

/// As `customer_id`, but a reference is confirmed against the customer record (one
/// upstream read): a stale cached answer is forgotten and resolved afresh once.
net::awaitable<step<std::uint64_t>> confirmed_customer_id(operation_context& ctx);

/// A customer as Billagain keeps it, with its contacts folded in under the roles the
/// customer mapping declares for the billing and sales contact: the oldest contact is
/// the billing contact, the next one the sales contact.
struct customer_graph {
    std::uint64_t id = 0;
    std::string record;                      ///< the customer record alone, as Billagain sent it
    std::optional<std::string> billing;      ///< its billing contact
    std::optional<std::string> sales;        ///< its sales contact, as Billagain sent it
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

/// Reads customer `id` and its contacts. When the request named the customer by
/// reference, checks the record still carries it (a stale cache answer is forgotten and
/// resolved again once).
net::awaitable<step<customer_graph>> read_customer(operation_context& ctx, std::uint64_t id);

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

/// `current` with the members of `changes` laid over it (top level; a member present in
/// `changes` replaces the current one whole). 502 if `current` is not a JSON object.
step<std::string> overlay(std::string_view current, std::string_view changes);

/// PUT /v1/customers/{id} with `record` (the read form, changed): sent in the customer
/// mapping's update form, so each member Billagain takes under another name than it reads
/// (StatementDay / StatementDate) is carried over, not cleared, and read-only members stay home.
net::awaitable<step<bool>> put_customer(operation_context& ctx, std::uint64_t id, std::string_view record);

/// Writes `changes` to a contact of `customer`: PUT over `existing` (merged), or POST a
/// new contact when the customer has none in that place yet.
net::awaitable<step<bool>> save_contact(operation_context& ctx, std::uint64_t customer,
                                        const std::optional<std::string>& existing, std::string_view changes);

/// Creates a customer from its converted JSON in one Billagain create (with its billing
/// contact and any subscriptions it carries), then its sales contact; if that fails the
/// customer is deleted again, so the whole is all or nothing. 400 for a sales contact
/// without billing contact data. The new customer's id.
net::awaitable<step<std::uint64_t>> create_with_contacts(operation_context& ctx, std::string customer);

/// Held while a reference is being given to a customer, from the in-use check until the
/// customer carrying it has been read back into the directory, so two concurrent
/// requests cannot both find a reference free and both take it.
net::awaitable<keyed_mutex::guard> lock_reference(operation_context& ctx, const std::string& ref);

/// A customer just created, with its reference still held (see lock_reference) until
/// the caller has read it back.
struct created_customer {
    std::uint64_t id = 0;
    keyed_mutex::guard reference_guard;
};

/// A create as POST /rest/customers and addCustomerAndOrder do it: the request body
/// converted through `dto`, its extCustomerRef refused as a conflict if in use (before
/// any write), then `create_with_contacts`.
net::awaitable<step<created_customer>> create_from_request(operation_context& ctx, const mapping::dto_mapping& dto,
                                                           std::vector<std::string>& ignored);

/// A conflict naming the customer that already has extCustomerRef `ref` and the one that
/// asked for it (`taker`, or the new customer of a create), checked before any write.
net::awaitable<std::optional<failure>> refuse_reference_in_use(operation_context& ctx, const std::string& ref,
                                                               std::optional<std::uint64_t> taker = std::nullopt);

/// Request XML → Billagain JSON through `dto`; 400 naming the field on failure.
/// `apply_defaults` is false for updates laid over the record read: a mapping's
/// defaults (such as isWaiveTaxes) must not overwrite what the customer already has.
step<std::string> inbound(const mapping::dto_mapping& dto, std::string_view xml, std::vector<std::string>& ignored,
                          bool apply_defaults = true);

/// Billagain JSON → BluBilling XML through `dto`; 502 if Billagain's data cannot be shown.
step<std::string> outbound(const mapping::dto_mapping& dto, std::string_view json);
/// The same for JSON already parsed (a customer graph's `shown`).
step<std::string> outbound(const mapping::dto_mapping& dto, const json::tree::value& json);

/// A `<status>` document: success flag, the customer's id and reference when known,
/// and error messages.
std::string status_document(const runtime& rt, bool success, std::optional<std::uint64_t> id,
                            const std::optional<std::string>& reference, const std::vector<std::string>& errors);

}  // namespace blubridge::gateway
