#include "fixture_loader.hpp"

#include "detail/field_reader.hpp"
#include "json_value.hpp"
#include "status_rules.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace blubridge::sandbox {
namespace {

using detail::field_reader;

[[noreturn]] void fail(const std::string& where, const std::string& message) {
    throw std::runtime_error("fixture: " + where + ": " + message);
}

void check(const field_reader& r, const std::string& where) {
    if (!r.ok()) fail(where, r.error().message);
}

const std::vector<json_value>& list(const json_value& root, std::string_view name) {
    static const std::vector<json_value> none;
    const json_value* v = root.find(name);
    if (!v || v->is_null()) return none;
    if (!v->is_array()) fail(std::string(name), "must be an array");
    return v->items();
}

std::string money_text(field_reader& r, const json_value* v, const std::string& where) {
    if (!v) return "0";
    // Balance is a JSON number; its text is kept digit for digit.
    if (!v->is_number()) fail(where, "Balance must be a number");
    (void)r;
    return v->text();
}

customer read_customer(const json_value& v, const std::string& where) {
    field_reader r(v);
    customer c;
    c.id = r.required_int("customerID");
    c.reference = r.optional_string("Reference");
    c.is_company = r.optional_bool("isCompany");
    c.name = r.optional_string("Name");
    c.last_name = r.optional_string("LastName");
    c.registration_number = r.optional_string("RegistrationNumber");
    c.company = r.optional_string("Company");
    c.email = r.optional_string("Email");
    c.email_cc = r.optional_string("EmailCC");
    c.cell = r.optional_string("Cell");
    c.tel = r.optional_string("Tel");
    c.fax = r.optional_string("Fax");
    c.vat_no = r.optional_string("VatNo");
    c.address1 = r.optional_string("Address1");
    c.address2 = r.optional_string("Address2");
    c.city = r.optional_string("City");
    c.state = r.optional_string("State");
    c.country = r.optional_string("Country");
    c.country_id = r.optional_int("countryID");
    c.country_state = r.optional_string("CountryState");
    c.country_state_id = r.optional_raw_scalar("countryStateID");
    c.zip_code = r.optional_string("ZipCode");
    c.primary_gateway_id = r.optional_int("PrimaryGatewayID");
    c.currency_code = r.required_string("CurrencyCode");
    c.created_date = r.required_date("CreatedDate");
    c.last_modified = c.created_date;
    c.is_suspended = r.optional_bool("isSuspended");
    c.is_active = r.optional_bool("isActive", true);
    c.is_waive_taxes = r.optional_bool("isWaiveTaxes");
    c.suspended_date = r.optional_date("SuspendedDate");
    c.payment_method = r.optional_string("PaymentMethod");
    c.balance = money_text(r, r.get("Balance"), where);
    c.auto_send_invoice = r.optional_bool("autoSendInvoice");
    c.auto_send_statement = r.optional_bool("autoSendStatement");
    c.statement_day = r.optional_int("StatementDate");
    c.statement_last_sent_date = r.optional_date("StatementLastSentDate");
    check(r, where);
    if (const json_value* info = r.get("PrimaryPaymentMethodInfo")) {
        field_reader ir(*info, "PrimaryPaymentMethodInfo");
        payment_info p;
        p.payment_method_id = ir.required_int("paymentMethodID");
        p.token = ir.required_string("Token");
        check(ir, where);
        c.primary_payment = p;
    }
    if (const json_value* fields = r.get("CustomFields")) {
        if (!fields->is_array()) fail(where, "CustomFields must be an array");
        for (const auto& f : fields->items()) {
            field_reader fr(f, "CustomFields");
            custom_field cf{fr.required_string("Key"), fr.optional_string("Value")};
            check(fr, where);
            c.custom_fields.push_back(std::move(cf));
        }
    }
    return c;
}

subscription read_subscription(const json_value& v, const std::string& where, store_state& state) {
    field_reader r(v);
    subscription s;
    s.id = r.required_int("subscriptionID");
    s.customer_id = r.required_int("customerID");
    s.package_rate_term_id = r.optional_int("packageRateTermID");
    s.package_id = r.required_int("packageID");
    s.package_version_id = r.optional_int("packageVersionID");
    s.package_version_number = r.optional_int("packageVersionNumber");
    s.term = r.optional_int("Term").value_or(1);
    s.term_type = r.optional_string("TermType").value_or("months");
    s.start_date = r.required_date("StartDate");
    s.first_prorata_sync_date = r.optional_date("firstProrataSyncDate");
    s.end_date = r.optional_date("EndDate");
    s.trial_end_date = r.optional_date("TrialEndDate");
    s.last_inv_date = r.optional_date("lastInvDate");
    s.last_renew_date = r.optional_date("lastRenewDate");
    s.next_renew_date = r.optional_date("nextRenewDate");
    s.is_cancelled = r.optional_bool("isCancelled");
    s.num_days_before_to_inv = r.optional_int("numDaysBeforeToInv").value_or(0);
    s.last_modified = r.optional_date("LastModified").value_or(s.start_date);
    s.comp_next_inv_date = r.optional_date("comp_nextInvDate");
    s.is_pro_rata = r.optional_bool("isProRata");
    if (auto name = r.optional_string("PackageName")) state.package_names.emplace(s.package_id, *name);
    check(r, where);
    if (const json_value* list = r.get("componentUsage")) {
        if (!list->is_array()) fail(where, "componentUsage must be an array");
        for (const auto& item : list->items()) {
            field_reader cr(item, "componentUsage");
            component_usage c;
            c.component_id = cr.required_int("componentID");
            c.component_version_id = cr.optional_int("componentVersionID");
            c.component_version_number = cr.optional_int("componentVersionNumber").value_or(0);
            c.num_units = cr.optional_int("NumUnits").value_or(0);
            c.is_set_units = cr.optional_bool("isSetUnits", true);
            c.memo = cr.optional_string("Memo");
            check(cr, where);
            s.components.push_back(std::move(c));
        }
    }
    return s;
}

contact read_contact(const json_value& v, const std::string& where) {
    field_reader r(v);
    contact c;
    c.id = r.required_int("customerContactID");
    c.customer_id = r.required_int("customerID");
    c.name = r.optional_string("Name");
    c.last_name = r.optional_string("LastName");
    c.email = r.optional_string("Email");
    c.cell = r.optional_string("Cell");
    c.username = r.optional_string("Username");
    c.is_active = r.optional_bool("isActive", true);
    check(r, where);
    return c;
}

payment_method read_payment_method(const json_value& v, const std::string& where) {
    field_reader r(v);
    payment_method m;
    m.id = r.required_int("paymentMethodID");
    m.customer_id = r.required_int("customerID");
    const auto type = r.required_string("PaymentMethodType");
    m.is_primary = r.optional_bool("isPrimary");
    m.is_valid = r.optional_bool("isValid", true);
    m.token = r.required_string("Token");
    m.gateway_id = r.optional_int("gatewayID");
    check(r, where);
    if (type == "credit_card") {
        m.type = payment_method::kind::credit_card;
        const json_value* card = r.get("CreditCard");
        if (!card) fail(where, "CreditCard is required");
        field_reader cr(*card, "CreditCard");
        m.name_on_card = cr.optional_string("NameOnCard");
        m.last_name_on_card = cr.optional_string("LastNameOnCard");
        m.card_type = cr.optional_string("CardType");
        m.expiry_month = cr.optional_int("ExpiryMonth");
        m.expiry_year = cr.optional_int("ExpiryYear");
        m.last_four_digits = cr.required_string("LastFourDigits");
        check(cr, where);
    } else if (type == "bank_account") {
        m.type = payment_method::kind::bank_account;
        const json_value* bank = r.get("BankAccount");
        if (!bank) fail(where, "BankAccount is required");
        field_reader br(*bank, "BankAccount");
        m.account_holder = br.optional_string("AccountHolder");
        m.last_four_digits = br.required_string("LastFourDigits");
        check(br, where);
    } else {
        fail(where, "PaymentMethodType must be credit_card or bank_account");
    }
    if (m.last_four_digits.size() > 4) m.last_four_digits = m.last_four_digits.substr(m.last_four_digits.size() - 4);
    return m;
}

template <class T>
void insert_unique(keyed_list<T>& list, T value, const std::string& where) {
    if (list.contains(value.id)) fail(where, "duplicate id " + std::to_string(value.id));
    list.insert(std::move(value));
}

template <class T>
std::int64_t next_id(const keyed_list<T>& list) {
    std::int64_t max = 0;
    for (auto id : list.order()) max = std::max(max, id);
    return max + 1;
}

}  // namespace

store_state fixture_from_json(std::string_view text) {
    json_parse_error e;
    auto root = parse_json(text, e);
    if (!root) throw std::runtime_error("fixture: not valid JSON: " + e.message + " at offset " + std::to_string(e.offset));
    if (!root->is_object()) throw std::runtime_error("fixture: the document must be a JSON object");

    // Unknown top-level members are refused so a typo ("customer") is not an empty list.
    for (const auto& m : root->members()) {
        static constexpr std::string_view known[] = {"about", "packages", "customers", "subscriptions",
                                                     "contacts", "paymentmethods"};
        if (std::find(std::begin(known), std::end(known), m.first) == std::end(known))
            throw std::runtime_error("fixture: unknown member \"" + m.first + "\"");
    }
    store_state state;
    std::size_t i = 0;
    for (const auto& p : list(*root, "packages")) {
        field_reader r(p);
        const auto id = r.required_int("packageID");
        auto name = r.required_string("PackageName");
        check(r, "packages[" + std::to_string(i++) + "]");
        state.package_names[id] = std::move(name);
    }
    i = 0;
    for (const auto& c : list(*root, "customers")) {
        const auto where = "customers[" + std::to_string(i++) + "]";
        insert_unique(state.customers, read_customer(c, where), where);
    }
    i = 0;
    for (const auto& s : list(*root, "subscriptions")) {
        const auto where = "subscriptions[" + std::to_string(i++) + "]";
        auto sub = read_subscription(s, where, state);
        if (!state.customers.contains(sub.customer_id)) fail(where, "unknown customerID " + std::to_string(sub.customer_id));
        index_add(state.subscriptions_by_customer, sub.customer_id, sub.id);
        insert_unique(state.subscriptions, std::move(sub), where);
    }
    i = 0;
    for (const auto& c : list(*root, "contacts")) {
        const auto where = "contacts[" + std::to_string(i++) + "]";
        auto ct = read_contact(c, where);
        if (!state.customers.contains(ct.customer_id)) fail(where, "unknown customerID " + std::to_string(ct.customer_id));
        index_add(state.contacts_by_customer, ct.customer_id, ct.id);
        insert_unique(state.contacts, std::move(ct), where);
    }
    i = 0;
    for (const auto& m : list(*root, "paymentmethods")) {
        const auto where = "paymentmethods[" + std::to_string(i++) + "]";
        auto pm = read_payment_method(m, where);
        if (!state.customers.contains(pm.customer_id)) fail(where, "unknown customerID " + std::to_string(pm.customer_id));
        index_add(state.payment_methods_by_customer, pm.customer_id, pm.id);
        insert_unique(state.payment_methods, std::move(pm), where);
    }
    state.next_customer_id = next_id(state.customers);
    state.next_subscription_id = next_id(state.subscriptions);
    state.next_contact_id = next_id(state.contacts);
    state.next_payment_method_id = next_id(state.payment_methods);
    return state;
}

store_state load_fixture_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("fixture: cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return fixture_from_json(text.str());
}

}  // namespace blubridge::sandbox
