#pragma once
#include "account_registry.hpp"
#include "keyed_mutex.hpp"
#include "runtime.hpp"

#include <blubridge/callbacks/callback_deliverer.hpp>
#include <blubridge/upstream/client.hpp>

#include <memory>
#include <string>

namespace blubridge::gateway {

/// The body of a website callback for a transition of `acct`: the same `<list>` that
/// GET /rest/customers/transitions answers, with this one transition, rendered with the
/// snapshot current at delivery time and the customer as Billagain has it then, read with
/// the Billagain key that snapshot gives the account (a reload may have changed it).
callbacks::renderer make_transition_renderer(std::shared_ptr<runtime_holder> runtimes,
                                             std::shared_ptr<upstream::client> upstream, account acct,
                                             std::shared_ptr<keyed_mutex> locks);

}  // namespace blubridge::gateway
