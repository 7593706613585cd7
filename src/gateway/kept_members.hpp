#pragma once
// BluBilling elements Billagain has no field for (a customer's locale, a sales contact's
// address, a card's billingAddress, …). The mappings put them under a gateway-side member
// (each mapping's `kept` role); the gateway takes that member out of what it sends to
// Billagain, keeps it per customer in the directory's state store, and puts it back before
// every answer, so a client reads back what it sent.
#include "failure.hpp"
#include "operation_context.hpp"

#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>

#include <blubridge/directory/customer_directory.hpp>

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::gateway {

/// Where a customer's kept members belong: its record (with its billing contact), its
/// sales contact, one of its payment methods.
inline constexpr std::string_view customer_scope = "customer";
inline constexpr std::string_view sales_contact_scope = "sales_contact";
std::string payment_method_scope(std::uint64_t method);

/// A converted request split in two: what goes to Billagain, and its kept member (if any).
struct kept_split {
    std::string upstream;
    std::optional<std::string> kept;
};
/// 500 if `converted` is not a JSON object (the mapping engine wrote it: a bug).
boost::system::result<kept_split, failure> take_kept(std::string_view converted, std::string_view kept_role);
/// The same for a part of a request that may be absent (a contact it does not carry).
boost::system::result<std::optional<kept_split>, failure> take_kept_if_any(const std::optional<std::string>& converted,
                                                                           std::string_view kept_role);

/// Stores `kept` for `scope` of `customer`. `merge`: laid member by member over what was
/// kept (an update leaves out what it does not change, as its Billagain half does);
/// otherwise it replaces it (a create). Nothing to store: nothing happens.
net::awaitable<void> keep(operation_context& ctx, std::uint64_t customer, std::string_view scope,
                          const std::optional<std::string>& kept, bool merge);

/// The kept object of `scope` among `all` (what directory.kept() read for one customer).
std::optional<std::string_view> kept_in(const std::vector<directory::kept_members>& all, std::string_view scope);

}  // namespace blubridge::gateway
