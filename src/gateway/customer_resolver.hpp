#pragma once
#include "failure.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::gateway {

/// Finds the Billagain customer behind an `extCustomerRef` (Billagain's `Reference`),
/// and learns from every customer record the gateway reads or writes.
///
/// Billagain cannot look a customer up by reference, so implementations keep an index.
/// Callers always confirm the answer against the record they then read (references
/// change outside the gateway) and `observe` that record, so a mismatch corrects the
/// index before they resolve again.
/// "customer 302", "customers 302 and 305", "customers 302, 305 and 307": for messages.
std::string name_customers(const std::vector<std::uint64_t>& ids);

class customer_resolver {
public:
    virtual ~customer_resolver() = default;

    /// The customer id for `ref`: 404 if no customer has it, a conflict naming the ids if
    /// more than one does, 503 while the index is still being built.
    virtual boost::system::result<std::uint64_t, failure> resolve(const std::string& ref) const = 0;

    /// The customers that have `ref`, if any (create refuses a reference already in use,
    /// naming them); 503 while the index is still being built.
    virtual boost::system::result<std::vector<std::uint64_t>, failure> holders(const std::string& ref) const = 0;

    /// A customer record (Billagain JSON) the gateway just read or wrote.
    virtual void observe(std::string_view record) = 0;

    // The memory halves: with state shared by several gateways, resolve, holders, observe
    // and removed may wait for the database (see state_call); these never do.
    /// resolve's answer when memory can give it; nullopt: call resolve.
    virtual std::optional<boost::system::result<std::uint64_t, failure>> resolve_in_memory(const std::string& ref) const = 0;
    /// True when memory holds `record` unchanged (observe would write nothing); false:
    /// call observe.
    virtual bool observe_in_memory(std::string_view record) = 0;

    /// The gateway deleted customer `id`, or Billagain said it is gone.
    virtual void removed(std::uint64_t id) = 0;
};

}  // namespace blubridge::gateway
