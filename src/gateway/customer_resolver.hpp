#pragma once
#include "billagain_api.hpp"
#include "failure.hpp"
#include "runtime.hpp"

#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace blubridge::gateway {

/// Finds the Billagain customer behind an `extCustomerRef` (Billagain's `Reference`).
///
/// Billagain cannot look a customer up by reference, so implementations keep an index.
/// Callers always confirm the answer against the record they then read (references
/// change outside the gateway) and call `forget` on a mismatch.
class customer_resolver {
public:
    virtual ~customer_resolver() = default;

    /// The customer id for `ref`: 404 if no customer has it, 409 naming the ids if more
    /// than one does, upstream failures as they come.
    virtual net::awaitable<boost::system::result<std::uint64_t, failure>> resolve(
        const std::string& ref, billagain_api& api, const runtime& rt) = 0;

    /// Whether some customer has `ref` (create refuses a reference already in use).
    virtual net::awaitable<boost::system::result<bool, failure>> in_use(
        const std::string& ref, billagain_api& api, const runtime& rt) = 0;

    /// The gateway just wrote a customer with this reference.
    virtual void remember(const std::string& ref, std::uint64_t id) = 0;

    /// The cached answer for `ref` turned out wrong, or the customer is gone.
    virtual void forget(const std::string& ref) = 0;
};

}  // namespace blubridge::gateway
