#pragma once
// The records the sandbox keeps, one struct per Billagain object. Field names follow the
// Billagain members they hold; computed members (comp_status, ActiveSubs, comp_Status,
// CustomerName, PackageName) are not stored but derived when a record is written out.
#include "billagain_date.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blubridge::sandbox {

using opt_string = std::optional<std::string>;
using opt_int = std::optional<std::int64_t>;
using opt_time = std::optional<billagain_time>;

/// A JSON scalar kept in the form the client sent it: Billagain echoes `countryStateID`
/// as "1" when it was sent as a string and as 1 when sent as a number.
struct raw_scalar {
    enum class kind { null, string, number };
    kind type = kind::null;
    std::string text;
};

struct custom_field {
    std::string key;
    opt_string value;
};

/// What `PrimaryPaymentMethodInfo` shows.
struct payment_info {
    std::int64_t payment_method_id = 0;
    std::string token;
};

struct customer {
    std::int64_t id = 0;
    opt_string reference;
    bool is_company = false;
    opt_string name, last_name, registration_number, company, email, email_cc, cell, tel, fax,
        vat_no, address1, address2, city, state, country, country_state;
    opt_int country_id;
    raw_scalar country_state_id;
    opt_string zip_code;
    opt_int primary_gateway_id;
    std::string currency_code;
    billagain_time created_date;
    bool is_suspended = false;
    bool is_active = true;
    bool is_waive_taxes = false;
    opt_time suspended_date;
    opt_string payment_method;
    std::string balance = "0";  ///< decimal text, never a double
    bool auto_send_invoice = false;
    bool auto_send_statement = false;
    opt_int statement_day;  ///< written as StatementDate
    opt_time statement_last_sent_date;
    std::optional<payment_info> primary_payment;
    std::vector<custom_field> custom_fields;
    billagain_time last_modified;  ///< not a Billagain member; kept for the control API
};

struct component_usage {
    std::int64_t component_id = 0;
    opt_int component_version_id;
    std::int64_t component_version_number = 0;
    std::int64_t num_units = 0;
    bool is_set_units = true;
    opt_string memo;
};

/// A package change scheduled for a later date (`isFutureChange`).
struct pending_package_change {
    std::int64_t package_id = 0;
    opt_int package_version_id;
    opt_int package_version_number;
    billagain_time change_date;
    bool is_pro_rata = false;
};

struct subscription {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    opt_int package_rate_term_id;
    std::int64_t package_id = 0;
    opt_int package_version_id;
    opt_int package_version_number;
    std::int64_t term = 1;
    std::string term_type = "months";
    billagain_time start_date;
    opt_time first_prorata_sync_date, end_date, trial_end_date, last_inv_date, last_renew_date,
        next_renew_date;
    bool is_cancelled = false;
    std::int64_t num_days_before_to_inv = 0;
    billagain_time last_modified;
    opt_time comp_next_inv_date;
    std::vector<component_usage> components;
    bool is_pro_rata = false;
    std::optional<pending_package_change> pending_change;  ///< isFutureChange when set
};

struct contact {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    opt_string name, last_name, email, cell, username;
    bool is_active = true;
};

struct payment_method {
    enum class kind { credit_card, bank_account };
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    kind type = kind::credit_card;
    bool is_primary = false;
    bool is_valid = true;
    std::string token;
    opt_int gateway_id;
    // credit_card
    opt_string name_on_card, last_name_on_card, card_type;
    opt_int expiry_month, expiry_year;
    // bank_account
    opt_string account_holder;
    /// Only the last four digits are kept; CVV is never stored.
    std::string last_four_digits;
};

/// The Billagain name of a payment method kind (`credit_card`, `bank_account`).
const char* to_string(payment_method::kind k);

}  // namespace blubridge::sandbox
