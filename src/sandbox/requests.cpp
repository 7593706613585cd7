#include "requests.hpp"

#include "country_table.hpp"
#include "detail/field_reader.hpp"

#include <array>
#include <cctype>

namespace blubridge::sandbox {
namespace {

using detail::field_reader;

constexpr std::size_t max_subscriptions_on_create = 5;

// Bounds that keep date and unit arithmetic far from overflow; Billagain's own limits are
// undocumented, these are generous.
constexpr std::int64_t max_term = 1200;
constexpr std::int64_t max_days_before_invoice = 3650;
constexpr std::int64_t max_units = 1'000'000'000'000;

bool out_of(std::int64_t v, std::int64_t lo, std::int64_t hi) { return v < lo || v > hi; }

constexpr std::array<std::string_view, 6> payment_method_names{
    "cash", "cheque", "credit_card", "debit_order", "eft", "bank_account"};

bool one_of(std::string_view v, const auto& options) {
    for (std::string_view o : options)
        if (o == v) return true;
    return false;
}

customer_fields read_customer_fields(field_reader& r) {
    customer_fields f;
    f.reference = r.optional_string("Reference");
    f.is_company = r.optional_bool("isCompany");
    f.name = r.optional_string("Name");
    f.last_name = r.optional_string("LastName");
    f.registration_number = r.optional_string("RegistrationNumber");
    f.vat_no = r.optional_string("VatNo");
    f.company = r.optional_string("Company");
    f.email = r.optional_string("Email");
    f.email_cc = r.optional_string("EmailCC");
    f.cell = r.optional_string("Cell");
    f.tel = r.optional_string("Tel");
    f.fax = r.optional_string("Fax");
    f.address1 = r.optional_string("Address1");
    f.address2 = r.optional_string("Address2");
    f.city = r.optional_string("City");
    f.state = r.optional_string("State");
    f.country_code = r.optional_string("CountryCode");
    if (f.country_code && !find_country_by_code(*f.country_code))
        r.fail(field_invalid("CountryCode", *f.country_code));
    f.country_id = r.optional_int("countryID");
    f.country_state_id = r.optional_raw_scalar("countryStateID");
    f.zip_code = r.optional_string("ZipCode");
    f.primary_gateway_id = r.optional_int("PrimaryGatewayID");
    f.currency_code = r.required_string("CurrencyCode");
    if (r.ok()) {
        bool letters = f.currency_code.size() == 3;
        for (char c : f.currency_code) letters = letters && std::isalpha(static_cast<unsigned char>(c));
        if (!letters) r.fail(field_invalid("CurrencyCode", f.currency_code));
        for (char& c : f.currency_code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    f.is_waive_taxes = r.required_bool("isWaiveTaxes");
    f.payment_method = r.optional_string("PaymentMethod");
    if (f.payment_method && !one_of(*f.payment_method, payment_method_names))
        r.fail(field_invalid("PaymentMethod", *f.payment_method));
    f.auto_send_invoice = r.optional_bool("autoSendInvoice");
    f.auto_send_statement = r.optional_bool("autoSendStatement");
    f.statement_day = r.optional_int("StatementDay");
    if (f.statement_day && (*f.statement_day < 1 || *f.statement_day > 25))
        r.fail(field_invalid("StatementDay", std::to_string(*f.statement_day)));
    return f;
}

contact_input read_contact(field_reader& r, bool require_customer) {
    contact_input c;
    if (require_customer) c.customer_id = r.required_int("customerID");
    c.name = r.optional_string("Name");
    c.last_name = r.optional_string("LastName");
    c.email = r.optional_string("Email");
    c.cell = r.optional_string("Cell");
    c.username = r.optional_string("Username");
    c.is_active = r.optional_bool("isActive", true);
    (void)r.optional_string("Password");  // type-checked, never kept
    if (r.ok() && !c.name && !c.email) r.fail(field_required(r.path_of("Name")));
    return c;
}

std::string digits_only(const std::string& s) {
    std::string d;
    for (char c : s)
        if (std::isdigit(static_cast<unsigned char>(c))) d.push_back(c);
        else if (c != ' ' && c != '-') return {};
    return d;
}

payment_method_input read_payment_method(field_reader& r, std::optional<payment_method::kind> fixed) {
    payment_method_input p;
    if (fixed) {
        p.type = *fixed;
    } else {
        const auto type = r.required_string("PaymentMethodType");
        if (!r.ok()) return p;
        if (type == "credit_card") p.type = payment_method::kind::credit_card;
        else if (type == "bank_account") p.type = payment_method::kind::bank_account;
        else {
            r.fail(field_invalid(r.path_of("PaymentMethodType"), type));
            return p;
        }
    }
    p.is_primary = r.optional_bool("isPrimary");
    p.gateway_id = r.optional_int("gatewayID");
    if (const json_value* gws = r.get("ExternalGateways"); gws && !gws->is_array())
        r.fail(field_invalid(r.path_of("ExternalGateways"), "{...}"));
    const bool card = p.type == payment_method::kind::credit_card;
    const char* member = card ? "CreditCard" : "BankAccount";
    const json_value* inner = r.get(member);
    if (!inner) {
        r.fail(field_required(r.path_of(member)));
        return p;
    }
    field_reader ir(*inner, r.path_of(member));
    if (card) {
        p.name_on_card = ir.optional_string("NameOnCard");
        p.last_name_on_card = ir.optional_string("LastNameOnCard");
        p.card_type = ir.optional_string("CardType");
        p.expiry_month = ir.required_int("ExpiryMonth");
        if (ir.ok() && (*p.expiry_month < 1 || *p.expiry_month > 12))
            ir.fail(field_invalid(ir.path_of("ExpiryMonth"), std::to_string(*p.expiry_month)));
        p.expiry_year = ir.required_int("ExpiryYear");
        const auto number = ir.required_string("Number");
        p.number = digits_only(number);
        if (ir.ok() && (p.number.size() < 12 || p.number.size() > 19))
            ir.fail(field_invalid(ir.path_of("Number"), "****"));  // never echo a card number
        (void)ir.optional_string("CVV");  // accepted, never stored
    } else {
        p.account_holder = ir.optional_string("AccountHolder");
        const auto number = ir.required_string("AccountNumber");
        p.number = digits_only(number);
        if (ir.ok() && (p.number.size() < 4 || p.number.size() > 34))
            ir.fail(field_invalid(ir.path_of("AccountNumber"), "****"));
        (void)ir.optional_string("BranchCode");
        (void)ir.optional_string("AccountType");
        (void)ir.optional_string("BankName");
    }
    if (!ir.ok()) r.fail(ir.error());
    return p;
}

std::vector<component_usage> read_components(field_reader& r, bool units_required) {
    std::vector<component_usage> out;
    const json_value* list = r.get("componentUsage");
    if (!list) return out;
    if (!list->is_array()) {
        r.fail(field_invalid(r.path_of("componentUsage"), "{...}"));
        return out;
    }
    for (std::size_t i = 0; i < list->items().size() && r.ok(); ++i) {
        field_reader cr(list->items()[i], r.path_of("componentUsage") + "[" + std::to_string(i) + "]");
        component_usage c;
        c.component_id = cr.required_int("componentID");
        c.component_version_id = cr.optional_int("componentVersionID");
        c.component_version_number = cr.optional_int("componentVersionNumber").value_or(0);
        c.num_units = units_required ? cr.required_int("NumUnits") : cr.optional_int("NumUnits").value_or(0);
        if (cr.ok() && out_of(c.num_units, 0, max_units))
            cr.fail(field_invalid(cr.path_of("NumUnits"), std::to_string(c.num_units)));
        c.memo = cr.optional_string("Memo");
        if (!cr.ok()) r.fail(cr.error());
        out.push_back(std::move(c));
    }
    return out;
}

std::string read_term_type(field_reader& r, bool required) {
    auto t = required ? r.required_string("TermType") : r.optional_string("TermType").value_or("");
    if (r.ok() && !t.empty() && t != "months" && t != "days") r.fail(field_invalid(r.path_of("TermType"), t));
    return t;
}

subscription_input read_subscription(field_reader& r, bool require_customer) {
    subscription_input s;
    if (require_customer) s.customer_id = r.required_int("customerID");
    s.package_id = r.required_int("packageID");
    s.package_version_id = r.optional_int("packageVersionID");
    s.package_version_number = r.optional_int("packageVersionNumber");
    s.package_rate_term_id = r.required_int("packageRateTermID");
    s.components = read_components(r, true);
    s.start_date = r.required_date("StartDate");
    s.first_prorata_sync_date = r.optional_date("firstProrataSyncDate");
    s.end_date = r.optional_date("EndDate");
    s.num_days_before_to_inv = r.optional_int("numDaysBeforeToInv").value_or(0);
    if (r.ok() && out_of(s.num_days_before_to_inv, 0, max_days_before_invoice))
        r.fail(field_invalid(r.path_of("numDaysBeforeToInv"), std::to_string(s.num_days_before_to_inv)));
    s.term = r.required_int("Term");
    if (r.ok() && out_of(s.term, 1, max_term)) r.fail(field_invalid(r.path_of("Term"), std::to_string(s.term)));
    s.term_type = read_term_type(r, true);
    if (r.ok() && s.end_date && *s.end_date < s.start_date)
        r.fail(bad_request("The " + r.path_of("EndDate") + " must not be before the StartDate."));
    return s;
}

template <class T>
result<T> finish(field_reader& r, T value) {
    if (!r.ok()) return r.error();
    return value;
}

}  // namespace

result<json_value> parse_body(std::string_view body) {
    if (body.empty()) return bad_request("The request body is required.");
    json_parse_error e;
    auto v = parse_json(body, e);
    if (!v) return bad_request("The request body is not valid JSON: " + e.message + " (at offset " +
                               std::to_string(e.offset) + ").");
    return std::move(*v);
}

result<customer_create> parse_customer_create(const json_value& body) {
    field_reader r(body);
    customer_create c;
    c.fields = read_customer_fields(r);
    if (const json_value* contact = r.get("Contact"); contact && r.ok()) {
        field_reader cr(*contact, "Contact");
        c.contact = read_contact(cr, false);
        if (!cr.ok()) r.fail(cr.error());
    }
    if (const json_value* subs = r.get("Subscriptions"); subs && r.ok()) {
        if (!subs->is_array()) {
            r.fail(field_invalid("Subscriptions", "{...}"));
        } else if (subs->items().size() > max_subscriptions_on_create) {
            r.fail(bad_request("A customer can be created with at most 5 Subscriptions."));
        } else {
            for (std::size_t i = 0; i < subs->items().size() && r.ok(); ++i) {
                field_reader sr(subs->items()[i], "Subscriptions[" + std::to_string(i) + "]");
                c.subscriptions.push_back(read_subscription(sr, false));
                if (!sr.ok()) r.fail(sr.error());
            }
        }
    }
    if (const json_value* pm = r.get("PrimaryPaymentMethod"); pm && r.ok()) {
        field_reader pr(*pm, "PrimaryPaymentMethod");
        c.payment = read_payment_method(pr, std::nullopt);
        if (!pr.ok()) r.fail(pr.error());
    }
    return finish(r, std::move(c));
}

result<customer_fields> parse_customer_update(const json_value& body) {
    field_reader r(body);
    auto f = read_customer_fields(r);
    return finish(r, std::move(f));
}

result<std::vector<std::int64_t>> parse_customer_ids(const json_value& body) {
    field_reader r(body);
    std::vector<std::int64_t> ids;
    const json_value* list = r.get("ids");
    if (r.ok() && !list) r.fail(field_required("ids"));
    if (r.ok() && !list->is_array()) r.fail(field_invalid("ids", "{...}"));
    if (r.ok()) {
        for (const auto& item : list->items()) {
            std::int64_t id = 0;
            if (!(item.is_number() || item.is_string()) || !integer_from_text(item.text(), id)) {
                r.fail(field_invalid("ids", item.is_string() || item.is_number() ? item.text() : "non-numeric"));
                break;
            }
            ids.push_back(id);
        }
    }
    return finish(r, std::move(ids));
}

result<contact_input> parse_contact(const json_value& body, bool require_customer) {
    field_reader r(body);
    auto c = read_contact(r, require_customer);
    return finish(r, std::move(c));
}

result<payment_method_input> parse_payment_method(const json_value& body, payment_method::kind kind) {
    field_reader r(body);
    auto p = read_payment_method(r, kind);
    if (r.ok() && !r.has("customerID")) r.fail(field_required("customerID"));
    p.customer_id = r.optional_int("customerID");
    return finish(r, std::move(p));
}

result<subscription_input> parse_subscription(const json_value& body) {
    field_reader r(body);
    auto s = read_subscription(r, true);
    return finish(r, std::move(s));
}

result<cancel_input> parse_cancel(const json_value& body) {
    field_reader r(body);
    cancel_input c;
    c.cancel_type = r.required_string("CancelType");
    if (r.ok() && c.cancel_type != "renewal" && c.cancel_type != "immediate")
        r.fail(field_invalid("CancelType", c.cancel_type));
    c.credit_type = r.required_string("CreditType");
    if (r.ok() && c.credit_type != "prorata" && c.credit_type != "fullcredit" && c.credit_type != "nocredit")
        r.fail(field_invalid("CreditType", c.credit_type));
    c.invoice_type = r.required_string("InvoiceType");
    c.reason = r.required_string("Reason");
    return finish(r, std::move(c));
}

result<change_package_input> parse_change_package(const json_value& body) {
    field_reader r(body);
    change_package_input c;
    c.customer_id = r.required_int("customerID");
    c.package_id = r.required_int("packageID");
    c.package_version_id = r.optional_int("packageVersionID");
    c.package_version_number = r.optional_int("packageVersionNumber");
    c.change_date = r.optional_date("ChangeDate");
    c.is_pro_rata = r.required_bool("isProRata");
    return finish(r, std::move(c));
}

result<change_term_input> parse_change_term(const json_value& body) {
    field_reader r(body);
    change_term_input c;
    c.customer_id = r.required_int("customerID");
    c.package_id = r.required_int("packageID");
    c.package_version_id = r.optional_int("packageVersionID");
    c.package_version_number = r.optional_int("packageVersionNumber");
    c.package_rate_term_id = r.optional_int("packageRateTermID");
    if (r.has("componentUsage")) c.components = read_components(r, false);
    c.term = r.optional_int("Term");
    if (r.ok() && c.term && out_of(*c.term, 1, max_term)) r.fail(field_invalid("Term", std::to_string(*c.term)));
    if (auto t = read_term_type(r, false); !t.empty()) c.term_type = t;
    // Billagain needs either a rate term or an explicit term (0 means "not given").
    const bool has_rate = c.package_rate_term_id && *c.package_rate_term_id != 0;
    if (r.ok() && !has_rate && !(c.term && c.term_type)) r.fail(field_required("packageRateTermID"));
    return finish(r, std::move(c));
}

result<change_start_input> parse_change_start(const json_value& body) {
    field_reader r(body);
    change_start_input c;
    if (r.has("StartDate")) {
        c.has_start_date = true;
        c.start_date = r.required_date("StartDate");
    }
    if (r.ok() && body.find("firstProrataSyncDate")) {
        c.has_first_prorata_sync_date = true;
        c.first_prorata_sync_date = r.optional_date("firstProrataSyncDate");
    }
    if (r.ok() && !c.has_start_date && !c.has_first_prorata_sync_date) r.fail(field_required("StartDate"));
    return finish(r, std::move(c));
}

result<change_end_input> parse_change_end(const json_value& body) {
    field_reader r(body);
    change_end_input c;
    if (r.ok() && !body.find("EndDate")) r.fail(field_required("EndDate"));
    c.end_date = r.optional_date("EndDate");
    return finish(r, std::move(c));
}

result<subscription_input> parse_reactivate(const json_value& body) {
    field_reader r(body);
    auto s = read_subscription(r, true);
    (void)r.optional_date("nextDueDate");
    return finish(r, std::move(s));
}

result<modify_components_input> parse_modify_components(const json_value& body) {
    field_reader r(body);
    modify_components_input c;
    c.customer_id = r.required_int("customerID");
    if (r.ok() && !r.has("componentUsage")) r.fail(field_required("componentUsage"));
    c.components = read_components(r, false);
    return finish(r, std::move(c));
}

result<record_usage_input> parse_record_usage(const json_value& body) {
    field_reader r(body);
    record_usage_input c;
    c.component_id = r.required_int("componentID");
    c.customer_id = r.required_int("customerID");
    c.quantity = r.required_int("Quantity");
    if (r.ok() && out_of(c.quantity, 0, max_units)) r.fail(field_invalid("Quantity", std::to_string(c.quantity)));
    c.is_decrease = r.optional_bool("isDecrease");
    return finish(r, std::move(c));
}

}  // namespace blubridge::sandbox
