#pragma once
// Billagain's computed statuses, derived at read time from stored facts and the clock.
#include "model.hpp"

#include <string_view>

namespace blubridge::sandbox {

enum class subscription_status { future, trial, active, cancelled, expired };

/// `comp_Status`, first rule that applies:
/// 1. isCancelled and (no EndDate or EndDate <= now)  → Cancelled
///    (a cancel "at renewal" sets EndDate ahead; until then the subscription still runs);
/// 2. EndDate <= now                                   → Expired;
/// 3. StartDate > now                                  → Future;
/// 4. TrialEndDate set and now < TrialEndDate          → Trial;
/// 5. otherwise                                        → Active.
subscription_status compute_status(const subscription& s, const billagain_time& now);

/// "Future", "Trial", "Active", "Cancelled", "Expired" — the capitalised form the seed shows.
std::string_view to_string(subscription_status s);

/// Whether a subscription counts towards the customer's `ActiveSubs`: Active, Trial, and
/// Future (a scheduled subscription is not cancelled and will bill).
bool counts_as_active(subscription_status s);

/// `comp_status` of a customer: "Archived" when not isActive, else "Suspended" when
/// isSuspended, else "Active". (The seed only shows "Active"; the other two follow the
/// archive/reopen and isSuspended members.)
std::string_view customer_status(const customer& c);

}  // namespace blubridge::sandbox
