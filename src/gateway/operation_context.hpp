#pragma once
#include "billagain_api.hpp"
#include "failure.hpp"
#include "route.hpp"
#include "runtime.hpp"

#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/http/message.hpp>

#include <boost/system/result.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace blubridge::gateway {

class customer_resolver;
class keyed_mutex;

/// What an operation answers when it succeeds: a status and a BluBilling XML document.
struct xml_reply {
    http::status status = http::status::ok;
    std::string xml;
    /// Inbound elements dropped under an `ignore` policy, for the response header and log.
    std::vector<std::string> ignored;
};

using operation_result = boost::system::result<xml_reply, failure>;

/// Everything one request's operation may use. Lives for the duration of the request.
struct operation_context {
    const runtime& rt;
    const route& target;
    const std::string& body;   ///< the request's XML body
    billagain_api& billagain;  ///< already carrying this client's Billagain credentials
    customer_resolver& resolver;
    directory::customer_directory& directory;  ///< this client's Billagain account's
    keyed_mutex& locks;
    std::shared_ptr<keyed_mutex> locks_owner;
    /// A create retried under an Idempotency-Key whose first attempt's outcome was never
    /// learnt: customers above this id are searched before a new one is created.
    std::optional<std::uint64_t> resume_create_after = std::nullopt;
    /// Set by a create whose Billagain answer was lost and whose outcome could not be
    /// learnt: the directory's highest customer id before it (see find_lost_create).
    std::optional<std::uint64_t> unresolved_create_after = std::nullopt;
};

}  // namespace blubridge::gateway
