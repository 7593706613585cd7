#include "store.hpp"

#include "detail/store_common.hpp"
#include "country_table.hpp"
#include "json_value.hpp"
#include "representation.hpp"

#include <algorithm>

namespace blubridge::sandbox {
namespace {

void apply_fields(customer& c, const customer_fields& f) {
    c.reference = f.reference;
    c.is_company = f.is_company;
    c.name = f.name;
    c.last_name = f.last_name;
    c.registration_number = f.registration_number;
    c.company = f.company;
    c.email = f.email;
    c.email_cc = f.email_cc;
    c.cell = f.cell;
    c.tel = f.tel;
    c.fax = f.fax;
    c.vat_no = f.vat_no;
    c.address1 = f.address1;
    c.address2 = f.address2;
    c.city = f.city;
    c.state = f.state;
    // Country comes from CountryCode; without one, from a countryID the table knows; an
    // unchanged unknown countryID keeps the name it had.
    const country* by_code = f.country_code ? find_country_by_code(*f.country_code) : nullptr;
    const country* by_id = f.country_id ? find_country_by_billagain_id(*f.country_id) : nullptr;
    opt_int country_id = f.country_id;
    if (!country_id && by_code && by_code->billagain_id != 0) country_id = by_code->billagain_id;
    if (by_code) c.country = std::string(by_code->name);
    else if (by_id) c.country = std::string(by_id->name);
    else if (country_id != c.country_id) c.country.reset();
    c.country_id = country_id;
    // Billagain keeps countryStateID as an integer: the seed's create sends "1" and gets 1
    // back. (Fixture records keep the form they were written in, e.g. 302's "1".)
    c.country_state_id = f.country_state_id;
    if (std::int64_t n = 0; c.country_state_id.type == raw_scalar::kind::string &&
                            integer_from_text(c.country_state_id.text, n)) {
        c.country_state_id = raw_scalar{raw_scalar::kind::number, std::to_string(n)};
    }
    // Billagain's CountryState is the tax state: the State text once a countryStateID is set.
    c.country_state = f.country_state_id.type == raw_scalar::kind::null ? std::string() : f.state.value_or("");
    c.zip_code = f.zip_code;
    c.primary_gateway_id = f.primary_gateway_id;
    c.currency_code = f.currency_code;
    c.is_waive_taxes = f.is_waive_taxes;
    c.payment_method = f.payment_method;
    c.auto_send_invoice = f.auto_send_invoice;
    c.auto_send_statement = f.auto_send_statement;
    c.statement_day = f.statement_day;
}

}  // namespace

using detail::children_of;
using detail::no_content;
using detail::object_reserve;
using detail::read_lock;
using detail::render;
using detail::write_lock;

// ---- customers ----------------------------------------------------------------------

result<api_answer> store::list_customers(const page_request& p, bool with_custom_fields) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    return api_answer{200, render(p.page_size * object_reserve / 2, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(state_.customers.order(), p, [&](std::int64_t id) {
                              const auto& c = *state_.customers.find(id);
                              write_customer(w, c, active_subs(c, now), with_custom_fields);
                          });
                          w.end_array();
                      })};
}

result<api_answer> store::customers_by_ids(const std::vector<std::int64_t>& ids, const page_request& p) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    // Known ids, once each, in creation order (the seed asks for [300, 302] and gets 302
    // first). O(k log k) in the number of ids asked for, whatever the store's size.
    std::vector<std::pair<std::uint64_t, std::int64_t>> found;
    found.reserve(ids.size());
    for (auto id : ids)
        if (const auto rank = state_.customers.creation_rank(id)) found.emplace_back(*rank, id);
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::vector<std::int64_t> page_ids;
    page_ids.reserve(found.size());
    for (const auto& f : found) page_ids.push_back(f.second);
    return api_answer{200, render(std::min(page_ids.size(), p.page_size) * object_reserve + 2, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(page_ids, p, [&](std::int64_t id) {
                              const auto& c = *state_.customers.find(id);
                              write_customer(w, c, active_subs(c, now), false);
                          });
                          w.end_array();
                      })};
}

result<api_answer> store::get_customer(std::int64_t id, bool with_custom_fields) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    const customer* c = state_.customers.find(id);
    if (!c) return customer_not_found();
    return api_answer{200, render(object_reserve, [&](json_writer& w) {
                          write_customer(w, *c, active_subs(*c, now), with_custom_fields);
                      })};
}

result<api_answer> store::create_customer(const customer_create& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    // Everything was validated before the lock, so from here on nothing can fail: the
    // customer and all its parts are written together or (on a parse error) not at all.
    customer c;
    c.id = state_.next_customer_id++;
    c.created_date = now;
    c.last_modified = now;
    apply_fields(c, in.fields);
    customer& stored = state_.customers.insert(std::move(c));
    const contact* ct = in.contact ? &add_contact(stored.id, *in.contact) : nullptr;
    for (const auto& s : in.subscriptions) add_subscription(stored.id, s, now);
    const payment_method* pm = nullptr;
    std::string_view digits;
    if (in.payment) {
        payment_method_input p = *in.payment;
        p.is_primary = true;  // the customer's first method is its primary one
        pm = &add_payment_method(stored, p);
        digits = in.payment->number;
    }
    return api_answer{201, render(2 * object_reserve, [&](json_writer& w) {
                          write_created_customer(w, stored, active_subs(stored, now), ct, pm, digits);
                      })};
}

result<api_answer> store::update_customer(std::int64_t id, const customer_fields& in) {
    write_lock lock(mutex_);
    customer* c = state_.customers.find(id);
    if (!c) return customer_not_found();
    apply_fields(*c, in);
    c->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::delete_customer(std::int64_t id) {
    write_lock lock(mutex_);
    if (!state_.customers.erase(id)) return customer_not_found();
    // The customer's own records go with it.
    auto drop_children = [id](child_index& index, auto& list) {
        auto it = index.find(id);
        if (it == index.end()) return;
        for (auto child : it->second) list.erase(child);
        index.erase(it);
    };
    drop_children(state_.subscriptions_by_customer, state_.subscriptions);
    drop_children(state_.contacts_by_customer, state_.contacts);
    drop_children(state_.payment_methods_by_customer, state_.payment_methods);
    return no_content();
}

result<api_answer> store::set_customer_active(std::int64_t id, bool active) {
    write_lock lock(mutex_);
    customer* c = state_.customers.find(id);
    if (!c) return customer_not_found();
    if (c->is_active != active) {
        c->is_active = active;
        c->last_modified = billagain_now();
    }
    return no_content();
}

}  // namespace blubridge::sandbox
