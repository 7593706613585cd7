#pragma once
// How each record is written as Billagain JSON: member names, order, types and nulls as the
// seed documents show them.
#include "json_writer.hpp"
#include "model.hpp"

#include <cstdint>
#include <string_view>

namespace blubridge::sandbox {

/// The 38 members of GET /v1/customers/{id}; `with_custom_fields` appends CustomFields.
void write_customer(json_writer& w, const customer& c, std::int64_t active_subs, bool with_custom_fields);

/// The 201 answer of POST /v1/customers: the customer members up to StatementLastSentDate,
/// then Contact and PrimaryPaymentMethod (null when not created). `card_digits` is what the
/// seed shows in LastFourDigits of a created card: the number as sent.
void write_created_customer(json_writer& w, const customer& c, std::int64_t active_subs,
                            const contact* contact, const payment_method* method,
                            std::string_view card_digits);

/// A subscription as the list and GET show it (26 members). `created` gives the 201 answer's
/// shape, which (per the seed) has no EndDate and no component Memo.
struct subscription_context {
    const customer* owner = nullptr;      ///< for CustomerName; null writes null
    const std::string* package_name = nullptr;  ///< PackageName; null writes null
    billagain_time now;
    bool created = false;
};
void write_subscription(json_writer& w, const subscription& s, const subscription_context& ctx);

void write_contact(json_writer& w, const contact& c);

/// `digits` overrides LastFourDigits (used only by create answers, see above).
void write_payment_method(json_writer& w, const payment_method& m, std::string_view digits = {});

}  // namespace blubridge::sandbox
