#include "representation.hpp"

#include "status_rules.hpp"

namespace blubridge::sandbox {
namespace {

void write_raw_scalar(json_writer& w, const raw_scalar& v) {
    switch (v.type) {
    case raw_scalar::kind::null: w.null(); break;
    case raw_scalar::kind::string: w.string(v.text); break;
    case raw_scalar::kind::number: w.raw_number(v.text); break;
    }
}

// Members shared by GET and create answers, customerID .. StatementLastSentDate.
void write_customer_core(json_writer& w, const customer& c, std::int64_t active_subs) {
    w.field("customerID", c.id);
    w.field("Reference", c.reference);
    w.field("isCompany", c.is_company);
    w.field("Name", c.name);
    w.field("LastName", c.last_name);
    w.field("RegistrationNumber", c.registration_number);
    w.field("Company", c.company);
    w.field("Email", c.email);
    w.field("EmailCC", c.email_cc);
    w.field("Cell", c.cell);
    w.field("Tel", c.tel);
    w.field("Fax", c.fax);
    w.field("VatNo", c.vat_no);
    w.field("Address1", c.address1);
    w.field("Address2", c.address2);
    w.field("City", c.city);
    w.field("State", c.state);
    w.field("Country", c.country);
    w.field("countryID", c.country_id);
    w.field("CountryState", c.country_state);
    w.key("countryStateID");
    write_raw_scalar(w, c.country_state_id);
    w.field("ZipCode", c.zip_code);
    w.field("PrimaryGatewayID", c.primary_gateway_id);
    w.field("CurrencyCode", std::string_view(c.currency_code));
    w.field("CreatedDate", c.created_date);
    w.field("isSuspended", c.is_suspended);
    w.field("isActive", c.is_active);
    w.field("comp_status", customer_status(c));
    w.field("isWaiveTaxes", c.is_waive_taxes);
    w.field("SuspendedDate", c.suspended_date);
    w.field("PaymentMethod", c.payment_method);
    w.field("ActiveSubs", active_subs);
    w.key("Balance");
    w.raw_number(c.balance);
    w.field("autoSendInvoice", c.auto_send_invoice);
    w.field("autoSendStatement", c.auto_send_statement);
    w.field("StatementDate", c.statement_day);
    w.field("StatementLastSentDate", c.statement_last_sent_date);
}

}  // namespace

void write_customer(json_writer& w, const customer& c, std::int64_t active_subs, bool with_custom_fields) {
    w.start_object();
    write_customer_core(w, c, active_subs);
    w.key("PrimaryPaymentMethodInfo");
    if (c.primary_payment) {
        w.start_object();
        w.field("paymentMethodID", c.primary_payment->payment_method_id);
        w.field("Token", std::string_view(c.primary_payment->token));
        w.end_object();
    } else {
        w.null();
    }
    if (with_custom_fields) {
        w.key("CustomFields");
        w.start_array();
        for (const auto& f : c.custom_fields) {
            w.start_object();
            w.field("Key", std::string_view(f.key));
            w.field("Value", f.value);
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
}

void write_created_customer(json_writer& w, const customer& c, std::int64_t active_subs,
                            const contact* ct, const payment_method* method, std::string_view card_digits) {
    w.start_object();
    write_customer_core(w, c, active_subs);
    w.key("Contact");
    if (ct) write_contact(w, *ct);
    else w.null();
    w.key("PrimaryPaymentMethod");
    if (method) write_payment_method(w, *method, card_digits);
    else w.null();
    w.end_object();
}

void write_subscription(json_writer& w, const subscription& s, const subscription_context& ctx) {
    w.start_object();
    w.field("packageRateTermID", s.package_rate_term_id);
    w.key("CustomerName");
    if (ctx.owner) {
        std::string name = ctx.owner->name.value_or("");
        name += ' ';
        name += ctx.owner->last_name.value_or("");
        w.string(name);
    } else {
        w.null();
    }
    w.field("customerID", s.customer_id);
    w.key("PackageName");
    if (ctx.package_name) w.string(*ctx.package_name);
    else w.null();
    w.field("subscriptionID", s.id);
    w.field("packageID", s.package_id);
    w.field("packageVersionID", s.package_version_id);
    w.field("packageVersionNumber", s.package_version_number);
    w.field("Term", s.term);
    w.field("TermType", std::string_view(s.term_type));
    w.field("StartDate", s.start_date);
    w.field("firstProrataSyncDate", s.first_prorata_sync_date);
    if (!ctx.created) w.field("EndDate", s.end_date);
    w.field("TrialEndDate", s.trial_end_date);
    w.field("lastInvDate", s.last_inv_date);
    w.field("lastRenewDate", s.last_renew_date);
    w.field("nextRenewDate", s.next_renew_date);
    const auto status = compute_status(s, ctx.now);
    w.field("isExpired", status == subscription_status::expired);
    w.field("isCancelled", s.is_cancelled);
    w.field("numDaysBeforeToInv", s.num_days_before_to_inv);
    w.field("LastModified", s.last_modified);
    w.field("comp_nextInvDate", s.comp_next_inv_date);
    w.field("comp_Status", to_string(status));
    w.key("componentUsage");
    w.start_array();
    for (const auto& c : s.components) {
        w.start_object();
        w.field("componentID", c.component_id);
        w.field("componentVersionID", c.component_version_id);
        w.field("componentVersionNumber", c.component_version_number);
        w.field("NumUnits", c.num_units);
        w.field("isSetUnits", c.is_set_units);
        if (!ctx.created) w.field("Memo", c.memo);
        w.end_object();
    }
    w.end_array();
    w.field("isFutureChange", s.pending_change.has_value());
    w.field("isProRata", s.is_pro_rata);
    w.end_object();
}

void write_contact(json_writer& w, const contact& c) {
    w.start_object();
    w.field("customerID", c.customer_id);
    w.field("customerContactID", c.id);
    w.field("Name", c.name);
    w.field("LastName", c.last_name);
    w.field("Email", c.email);
    w.field("Cell", c.cell);
    w.field("Username", c.username);
    w.field("isActive", c.is_active);
    w.end_object();
}

void write_payment_method(json_writer& w, const payment_method& m, std::string_view digits) {
    const std::string_view last = digits.empty() ? std::string_view(m.last_four_digits) : digits;
    w.start_object();
    w.field("customerID", m.customer_id);
    w.field("paymentMethodID", m.id);
    w.field("PaymentMethodType", to_string(m.type));
    w.field("isPrimary", m.is_primary);
    w.field("isValid", m.is_valid);
    if (m.type == payment_method::kind::credit_card) {
        w.key("CreditCard");
        w.start_object();
        w.field("NameOnCard", m.name_on_card);
        w.field("LastNameOnCard", m.last_name_on_card);
        w.field("CardType", m.card_type);
        w.field("ExpiryMonth", m.expiry_month);
        w.field("ExpiryYear", m.expiry_year);
        w.field("LastFourDigits", last);
        w.end_object();
    } else {
        w.key("BankAccount");
        w.start_object();
        w.field("AccountHolder", m.account_holder);
        w.field("LastFourDigits", last);
        w.end_object();
    }
    w.field("gatewayID", m.gateway_id);
    w.end_object();
}

}  // namespace blubridge::sandbox
