#pragma once
// Request bodies as validated input: one struct and one parse function per Billagain call
// that takes a body. Parsing happens before the store is locked; a failure is the 400 the
// client gets, naming the field.
#include "api_error.hpp"
#include "json_value.hpp"
#include "model.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blubridge::sandbox {

/// The writable customer members (POST and PUT /v1/customers). PUT replaces the whole
/// record: a member left out is stored as null/false, as Billagain does.
struct customer_fields {
    opt_string reference;
    bool is_company = false;
    opt_string name, last_name, registration_number, company, email, email_cc, cell, tel, fax,
        vat_no, address1, address2, city, state;
    opt_string country_code;  ///< ISO code, validated against the country table
    opt_int country_id;
    raw_scalar country_state_id;
    opt_string zip_code;
    opt_int primary_gateway_id;
    std::string currency_code;  ///< required
    bool is_waive_taxes = false;  ///< required
    opt_string payment_method;
    bool auto_send_invoice = false;
    bool auto_send_statement = false;
    opt_int statement_day;
};

struct contact_input {
    opt_int customer_id;
    opt_string name, last_name, email, cell, username;
    bool is_active = true;
    // Password is accepted and dropped: nothing ever returns it.
};

struct payment_method_input {
    opt_int customer_id;
    payment_method::kind type = payment_method::kind::credit_card;
    bool is_primary = false;
    opt_int gateway_id;
    opt_string name_on_card, last_name_on_card, card_type;
    opt_int expiry_month, expiry_year;
    opt_string account_holder;
    /// Card or account number as sent (digits only). Billagain's create answer echoes it in
    /// LastFourDigits (see the seed); the store keeps only the last four.
    std::string number;
};

struct subscription_input {
    opt_int customer_id;
    std::int64_t package_id = 0;
    opt_int package_version_id, package_version_number, package_rate_term_id;
    std::vector<component_usage> components;
    billagain_time start_date;
    opt_time first_prorata_sync_date, end_date;
    std::int64_t num_days_before_to_inv = 0;
    std::int64_t term = 1;
    std::string term_type;
};

struct customer_create {
    customer_fields fields;
    std::optional<contact_input> contact;
    std::vector<subscription_input> subscriptions;  ///< at most 5
    std::optional<payment_method_input> payment;
};

struct cancel_input {
    std::string cancel_type;  ///< renewal | immediate
    std::string credit_type;  ///< prorata | fullcredit | nocredit
    std::string invoice_type;
    std::string reason;
};

struct change_package_input {
    std::int64_t customer_id = 0;
    std::int64_t package_id = 0;
    opt_int package_version_id, package_version_number;
    opt_time change_date;
    bool is_pro_rata = false;
};

struct change_term_input {
    std::int64_t customer_id = 0;
    std::int64_t package_id = 0;
    opt_int package_version_id, package_version_number, package_rate_term_id;
    std::optional<std::vector<component_usage>> components;
    opt_int term;
    opt_string term_type;
};

struct change_start_input {
    bool has_start_date = false;
    billagain_time start_date;
    bool has_first_prorata_sync_date = false;
    opt_time first_prorata_sync_date;
};

struct change_end_input {
    opt_time end_date;  ///< null clears it
};

struct modify_components_input {
    std::int64_t customer_id = 0;
    std::vector<component_usage> components;
};

struct record_usage_input {
    std::int64_t component_id = 0;
    std::int64_t customer_id = 0;
    std::int64_t quantity = 0;
    bool is_decrease = false;
};

/// Parses a body; malformed JSON is a 400 whose message carries RapidJSON's reason.
result<json_value> parse_body(std::string_view body);

result<customer_create> parse_customer_create(const json_value& body);
result<customer_fields> parse_customer_update(const json_value& body);
result<std::vector<std::int64_t>> parse_customer_ids(const json_value& body);
result<contact_input> parse_contact(const json_value& body, bool require_customer);
result<payment_method_input> parse_payment_method(const json_value& body, payment_method::kind kind);
result<subscription_input> parse_subscription(const json_value& body);
result<cancel_input> parse_cancel(const json_value& body);
result<change_package_input> parse_change_package(const json_value& body);
result<change_term_input> parse_change_term(const json_value& body);
result<change_start_input> parse_change_start(const json_value& body);
result<change_end_input> parse_change_end(const json_value& body);
result<subscription_input> parse_reactivate(const json_value& body);
result<modify_components_input> parse_modify_components(const json_value& body);
result<record_usage_input> parse_record_usage(const json_value& body);

}  // namespace blubridge::sandbox
