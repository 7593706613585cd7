#pragma once
// Writing a customer graph to Billagain: the record in its update form, contacts, and a
// create that is all or nothing and found again when its answer is lost.
#include "customer_lookup.hpp"

#include <blubridge/mapping/dto_mapping.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::gateway {

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

}  // namespace blubridge::gateway
