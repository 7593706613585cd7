#include "status_rules.hpp"

namespace blubridge::sandbox {

subscription_status compute_status(const subscription& s, const billagain_time& now) {
    const bool ended = s.end_date && !(now < *s.end_date);
    if (s.is_cancelled && (!s.end_date || ended)) return subscription_status::cancelled;
    if (ended) return subscription_status::expired;
    if (now < s.start_date) return subscription_status::future;
    if (s.trial_end_date && now < *s.trial_end_date) return subscription_status::trial;
    return subscription_status::active;
}

std::string_view to_string(subscription_status s) {
    switch (s) {
    case subscription_status::future: return "Future";
    case subscription_status::trial: return "Trial";
    case subscription_status::active: return "Active";
    case subscription_status::cancelled: return "Cancelled";
    case subscription_status::expired: return "Expired";
    }
    return "Active";
}

bool counts_as_active(subscription_status s) {
    return s == subscription_status::active || s == subscription_status::trial ||
           s == subscription_status::future;
}

std::string_view customer_status(const customer& c) {
    if (!c.is_active) return "Archived";
    if (c.is_suspended) return "Suspended";
    return "Active";
}

const char* to_string(payment_method::kind k) {
    return k == payment_method::kind::bank_account ? "bank_account" : "credit_card";
}

}  // namespace blubridge::sandbox
