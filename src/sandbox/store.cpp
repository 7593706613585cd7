#include "store.hpp"

#include "country_table.hpp"
#include "json_value.hpp"
#include "representation.hpp"
#include "status_rules.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace blubridge::sandbox {
namespace {

using read_lock = std::shared_lock<std::shared_mutex>;
using write_lock = std::unique_lock<std::shared_mutex>;

api_answer no_content() { return api_answer{204, {}}; }

// Most single-object answers are ~1.3 KB; lists grow from there.
constexpr std::size_t object_reserve = 1536;

// `comp_nextInvDate`: the next invoice goes out numDaysBeforeToInv days before the renewal.
void refresh_next_invoice(subscription& s) {
    if (!s.last_inv_date) s.next_renew_date = s.start_date;
    s.comp_next_inv_date =
        s.next_renew_date ? std::optional(add_days(*s.next_renew_date, -s.num_days_before_to_inv)) : std::nullopt;
}

// The first period boundary strictly after `now` (cancel "at renewal" ends there).
billagain_time next_renewal_after(const subscription& s, const billagain_time& now) {
    if (now < s.start_date) return s.start_date;
    billagain_time t = s.start_date;
    for (int i = 1; i < 100'000 && !(now < t); ++i)
        t = s.term_type == "days" ? add_days(s.start_date, s.term * i)
                                  : add_months(s.start_date, static_cast<int>(s.term * i));
    return t;
}

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

void apply_subscription(subscription& s, const subscription_input& in) {
    s.package_id = in.package_id;
    s.package_version_id = in.package_version_id;
    s.package_version_number = in.package_version_number;
    s.package_rate_term_id = in.package_rate_term_id;
    s.components = in.components;
    s.start_date = in.start_date;
    s.first_prorata_sync_date = in.first_prorata_sync_date;
    s.end_date = in.end_date;
    s.num_days_before_to_inv = in.num_days_before_to_inv;
    s.term = in.term;
    s.term_type = in.term_type;
    s.is_pro_rata = in.first_prorata_sync_date.has_value();
    s.pending_change.reset();
    refresh_next_invoice(s);
}

api_error customer_mismatch() {
    return bad_request("The customerID does not match the customer of this Subscription.");
}

template <class Fn>
std::string render(std::size_t reserve, Fn&& fn) {
    std::string out;
    out.reserve(reserve);
    json_writer w(out);
    fn(w);
    return out;
}

}  // namespace

store::store() : rng_(std::random_device{}()) {}

store::store(store_state fixture) : state_(fixture), fixture_(std::move(fixture)), rng_(std::random_device{}()) {}

void store::reset() {
    write_lock lock(mutex_);
    state_ = fixture_;
}

std::size_t store::customer_count() const {
    read_lock lock(mutex_);
    return state_.customers.size();
}

std::pair<std::int64_t, std::int64_t> store::bulk_create_customers(std::size_t count) {
    write_lock lock(mutex_);
    const auto now = billagain_now();
    const std::int64_t first = state_.next_customer_id;
    state_.customers.reserve(state_.customers.size() + count);
    for (std::size_t i = 0; i < count; ++i) {
        customer c;
        c.id = state_.next_customer_id++;
        const auto n = std::to_string(c.id);
        c.reference = "BULK-" + n;
        c.name = "Bulk";
        c.last_name = "Customer " + n;
        c.email = "bulk" + n + "@example.com";
        c.city = "Port Elizabeth";
        c.country = "South Africa";
        c.country_id = 71;
        c.country_state = "";
        c.currency_code = "ZAR";
        c.payment_method = "eft";
        c.created_date = now;
        c.last_modified = now;
        state_.customers.insert(std::move(c));
    }
    return {first, state_.next_customer_id - 1};
}

std::int64_t store::active_subs(const customer& c, const billagain_time& now) const {
    auto it = state_.subscriptions_by_customer.find(c.id);
    if (it == state_.subscriptions_by_customer.end()) return 0;
    std::int64_t n = 0;
    for (auto sid : it->second)
        if (const auto* s = state_.subscriptions.find(sid); s && counts_as_active(compute_status(*s, now))) ++n;
    return n;
}

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
    // Known ids, once each, in creation order (the seed asks for [300, 302] and gets 302 first).
    std::vector<std::pair<std::size_t, std::int64_t>> found;
    found.reserve(ids.size());
    {
        std::vector<std::int64_t> unique(ids);
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        const auto& order = state_.customers.order();
        if (unique.size() * 16 < order.size()) {
            for (auto id : unique)
                if (state_.customers.contains(id)) {
                    // Ids are issued increasing, so creation order is mostly id order: binary
                    // search first, fall back to a scan for fixture records loaded out of order.
                    auto it = std::lower_bound(order.begin(), order.end(), id);
                    if (it == order.end() || *it != id) it = std::find(order.begin(), order.end(), id);
                    found.emplace_back(static_cast<std::size_t>(it - order.begin()), id);
                }
            std::sort(found.begin(), found.end());
        } else {
            for (std::size_t i = 0; i < order.size(); ++i)
                if (std::binary_search(unique.begin(), unique.end(), order[i])) found.emplace_back(i, order[i]);
        }
    }
    std::vector<std::int64_t> page_ids;
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

// ---- subscriptions --------------------------------------------------------------------

subscription& store::add_subscription(std::int64_t customer_id, const subscription_input& in,
                                      const billagain_time& now) {
    subscription s;
    s.id = state_.next_subscription_id++;
    s.customer_id = customer_id;
    apply_subscription(s, in);
    s.last_modified = now;
    index_add(state_.subscriptions_by_customer, customer_id, s.id);
    return state_.subscriptions.insert(std::move(s));
}

namespace {
struct subscription_renderer {
    const store_state& state;
    billagain_time now;

    void operator()(json_writer& w, const subscription& s, bool created = false) const {
        subscription_context ctx;
        ctx.owner = state.customers.find(s.customer_id);
        if (auto it = state.package_names.find(s.package_id); it != state.package_names.end())
            ctx.package_name = &it->second;
        ctx.now = now;
        ctx.created = created;
        write_subscription(w, s, ctx);
    }
};
}  // namespace

result<api_answer> store::list_subscriptions(const page_request& p) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    subscription_renderer r{state_, now};
    return api_answer{200, render(p.page_size * 512, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(state_.subscriptions.order(), p,
                                           [&](std::int64_t id) { r(w, *state_.subscriptions.find(id)); });
                          w.end_array();
                      })};
}

result<api_answer> store::list_customer_subscriptions(std::int64_t customer_id, const page_request& p) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    if (!state_.customers.contains(customer_id)) return customer_not_found();
    static const std::vector<std::int64_t> none;
    auto it = state_.subscriptions_by_customer.find(customer_id);
    const auto& ids = it == state_.subscriptions_by_customer.end() ? none : it->second;
    subscription_renderer r{state_, now};
    return api_answer{200, render(1024, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(ids, p, [&](std::int64_t id) { r(w, *state_.subscriptions.find(id)); });
                          w.end_array();
                      })};
}

result<api_answer> store::get_subscription(std::int64_t id) const {
    const auto now = billagain_now();
    read_lock lock(mutex_);
    const subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    subscription_renderer r{state_, now};
    return api_answer{200, render(1024, [&](json_writer& w) { r(w, *s); })};
}

result<api_answer> store::create_subscription(const subscription_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    if (!in.customer_id || !state_.customers.contains(*in.customer_id)) return customer_not_found();
    const subscription& s = add_subscription(*in.customer_id, in, now);
    subscription_renderer r{state_, now};
    return api_answer{201, render(1024, [&](json_writer& w) { r(w, s, true); })};
}

result<api_answer> store::cancel_subscription(std::int64_t id, const cancel_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->is_cancelled) return bad_request("The Subscription is already cancelled.");
    if (compute_status(*s, now) == subscription_status::expired)
        return bad_request("The Subscription has expired and cannot be cancelled.");
    s->is_cancelled = true;
    s->end_date = in.cancel_type == "immediate" ? now : next_renewal_after(*s, now);
    s->last_modified = now;
    return no_content();
}

result<api_answer> store::change_package(std::int64_t id, const change_package_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    if (in.change_date && now < *in.change_date) {
        // A dated change waits (isFutureChange); the sandbox runs no scheduler, so it stays
        // pending until DELETE …/futurechanges removes it.
        s->pending_change = pending_package_change{in.package_id, in.package_version_id,
                                                   in.package_version_number, *in.change_date, in.is_pro_rata};
    } else {
        s->package_id = in.package_id;
        s->package_version_id = in.package_version_id;
        s->package_version_number = in.package_version_number;
        s->is_pro_rata = in.is_pro_rata;
        s->pending_change.reset();
    }
    s->last_modified = now;
    return no_content();
}

result<api_answer> store::change_term(std::int64_t id, const change_term_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    s->package_id = in.package_id;
    // Billagain's seed sends 0 for "not given".
    if (in.package_version_id && *in.package_version_id != 0) s->package_version_id = in.package_version_id;
    if (in.package_version_number && *in.package_version_number != 0)
        s->package_version_number = in.package_version_number;
    if (in.package_rate_term_id && *in.package_rate_term_id != 0) s->package_rate_term_id = in.package_rate_term_id;
    if (in.components) s->components = *in.components;
    if (in.term) s->term = *in.term;
    if (in.term_type) s->term_type = *in.term_type;
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::change_start_date(std::int64_t id, const change_start_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    const auto start = in.has_start_date ? in.start_date : s->start_date;
    if (s->end_date && *s->end_date < start) return bad_request("The StartDate must not be after the EndDate.");
    s->start_date = start;
    if (in.has_first_prorata_sync_date) {
        s->first_prorata_sync_date = in.first_prorata_sync_date;
        s->is_pro_rata = in.first_prorata_sync_date.has_value();
    }
    refresh_next_invoice(*s);
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::change_end_date(std::int64_t id, const change_end_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (in.end_date && *in.end_date < s->start_date) return bad_request("The EndDate must not be before the StartDate.");
    s->end_date = in.end_date;
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::reactivate_subscription(std::int64_t id, const subscription_input& in) {
    const auto now = billagain_now();
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (!in.customer_id || *in.customer_id != s->customer_id) return customer_mismatch();
    const auto status = compute_status(*s, now);
    if (status != subscription_status::cancelled && status != subscription_status::expired)
        return bad_request("Only a cancelled or expired Subscription can be reactivated.");
    apply_subscription(*s, in);
    s->is_cancelled = false;
    s->last_modified = now;
    return no_content();
}

result<api_answer> store::remove_future_changes(std::int64_t id) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->pending_change) {
        s->pending_change.reset();
        s->last_modified = billagain_now();
    }
    return no_content();
}

result<api_answer> store::modify_components(std::int64_t id, const modify_components_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    for (const auto& c : in.components) {
        auto it = std::find_if(s->components.begin(), s->components.end(),
                               [&](const component_usage& u) { return u.component_id == c.component_id; });
        if (it == s->components.end()) {
            s->components.push_back(c);
        } else {
            if (c.component_version_id) it->component_version_id = c.component_version_id;
            if (c.component_version_number != 0) it->component_version_number = c.component_version_number;
            it->num_units = c.num_units;
            it->is_set_units = true;
        }
    }
    s->last_modified = billagain_now();
    return no_content();
}

result<api_answer> store::record_usage(std::int64_t id, const record_usage_input& in) {
    write_lock lock(mutex_);
    subscription* s = state_.subscriptions.find(id);
    if (!s) return subscription_not_found();
    if (s->customer_id != in.customer_id) return customer_mismatch();
    auto it = std::find_if(s->components.begin(), s->components.end(),
                           [&](const component_usage& u) { return u.component_id == in.component_id; });
    if (it == s->components.end())
        return bad_request("Cannot find Component " + std::to_string(in.component_id) + " on this Subscription.");
    if (in.is_decrease && in.quantity > it->num_units)
        return bad_request("The Quantity is larger than the units in use.");
    it->num_units += in.is_decrease ? -in.quantity : in.quantity;
    s->last_modified = billagain_now();
    return no_content();
}

// ---- customer contacts ------------------------------------------------------------------

std::string store::new_username(const contact_input& in) {
    // Billagain's pattern (seed: "SoeJ7tn"): three letters of the last name, the first
    // initial, three random characters.
    static constexpr std::string_view alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    std::string u;
    for (char ch : in.last_name.value_or("Usr"))
        if (std::isalpha(static_cast<unsigned char>(ch)) && u.size() < 3) u.push_back(ch);
    if (!u.empty()) u[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(u[0])));
    const auto first = in.name.value_or("X");
    u.push_back(first.empty() ? 'X' : static_cast<char>(std::toupper(static_cast<unsigned char>(first[0]))));
    for (int i = 0; i < 3; ++i) u.push_back(alphabet[rng_() % alphabet.size()]);
    return u;
}

contact& store::add_contact(std::int64_t customer_id, const contact_input& in) {
    contact c;
    c.id = state_.next_contact_id++;
    c.customer_id = customer_id;
    c.name = in.name;
    c.last_name = in.last_name;
    c.email = in.email;
    c.cell = in.cell;
    c.username = in.username ? in.username : std::optional(new_username(in));
    c.is_active = in.is_active;
    index_add(state_.contacts_by_customer, customer_id, c.id);
    return state_.contacts.insert(std::move(c));
}

result<api_answer> store::list_contacts(const page_request& p) const {
    read_lock lock(mutex_);
    return api_answer{200, render(p.page_size * 200, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(state_.contacts.order(), p,
                                           [&](std::int64_t id) { write_contact(w, *state_.contacts.find(id)); });
                          w.end_array();
                      })};
}

result<api_answer> store::list_customer_contacts(std::int64_t customer_id, const page_request& p) const {
    read_lock lock(mutex_);
    if (!state_.customers.contains(customer_id)) return customer_not_found();
    static const std::vector<std::int64_t> none;
    auto it = state_.contacts_by_customer.find(customer_id);
    const auto& ids = it == state_.contacts_by_customer.end() ? none : it->second;
    return api_answer{200, render(512, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(ids, p, [&](std::int64_t id) { write_contact(w, *state_.contacts.find(id)); });
                          w.end_array();
                      })};
}

result<api_answer> store::get_contact(std::int64_t id) const {
    read_lock lock(mutex_);
    const contact* c = state_.contacts.find(id);
    if (!c) return contact_not_found();
    return api_answer{200, render(256, [&](json_writer& w) { write_contact(w, *c); })};
}

result<api_answer> store::create_contact(const contact_input& in) {
    write_lock lock(mutex_);
    if (!in.customer_id || !state_.customers.contains(*in.customer_id)) return customer_not_found();
    const contact& c = add_contact(*in.customer_id, in);
    return api_answer{201, render(256, [&](json_writer& w) { write_contact(w, c); })};
}

result<api_answer> store::update_contact(std::int64_t id, const contact_input& in) {
    write_lock lock(mutex_);
    contact* c = state_.contacts.find(id);
    if (!c) return contact_not_found();
    if (in.customer_id && *in.customer_id != c->customer_id)
        return bad_request("The customerID does not match the customer of this Customer Contact.");
    c->name = in.name;
    c->last_name = in.last_name;
    c->email = in.email;
    c->cell = in.cell;
    if (in.username) c->username = in.username;
    c->is_active = in.is_active;
    return no_content();
}

result<api_answer> store::delete_contact(std::int64_t id) {
    write_lock lock(mutex_);
    const contact* c = state_.contacts.find(id);
    if (!c) return contact_not_found();
    index_remove(state_.contacts_by_customer, c->customer_id, id);
    state_.contacts.erase(id);
    return no_content();
}

// ---- payment methods ------------------------------------------------------------------

std::string store::new_token() {
    // A random (version 4) UUID, the form of the seed's Token.
    static constexpr char hex[] = "0123456789abcdef";
    std::string t(36, '-');
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) continue;
        t[i] = hex[rng_() % 16];
    }
    t[14] = '4';
    t[19] = hex[8 + rng_() % 4];
    return t;
}

void store::make_primary(customer& owner, payment_method& m) {
    auto it = state_.payment_methods_by_customer.find(owner.id);
    if (it != state_.payment_methods_by_customer.end())
        for (auto pid : it->second)
            if (auto* other = state_.payment_methods.find(pid)) other->is_primary = false;
    m.is_primary = true;
    owner.primary_payment = payment_info{m.id, m.token};
    owner.last_modified = billagain_now();
}

payment_method& store::add_payment_method(customer& owner, const payment_method_input& in) {
    payment_method m;
    m.id = state_.next_payment_method_id++;
    m.customer_id = owner.id;
    m.type = in.type;
    m.token = new_token();
    m.gateway_id = in.gateway_id;
    m.name_on_card = in.name_on_card;
    m.last_name_on_card = in.last_name_on_card;
    m.card_type = in.card_type;
    m.expiry_month = in.expiry_month;
    m.expiry_year = in.expiry_year;
    m.account_holder = in.account_holder;
    m.last_four_digits = in.number.size() > 4 ? in.number.substr(in.number.size() - 4) : in.number;
    const bool first = state_.payment_methods_by_customer.count(owner.id) == 0;
    index_add(state_.payment_methods_by_customer, owner.id, m.id);
    payment_method& stored = state_.payment_methods.insert(std::move(m));
    if (in.is_primary || first || !owner.primary_payment) make_primary(owner, stored);
    return stored;
}

result<api_answer> store::list_customer_payment_methods(std::int64_t customer_id, const page_request& p) const {
    read_lock lock(mutex_);
    if (!state_.customers.contains(customer_id)) return customer_not_found();
    static const std::vector<std::int64_t> none;
    auto it = state_.payment_methods_by_customer.find(customer_id);
    const auto& ids = it == state_.payment_methods_by_customer.end() ? none : it->second;
    return api_answer{200, render(512, [&](json_writer& w) {
                          w.start_array();
                          for_each_on_page(ids, p, [&](std::int64_t id) {
                              write_payment_method(w, *state_.payment_methods.find(id));
                          });
                          w.end_array();
                      })};
}

result<api_answer> store::get_payment_method(std::int64_t id) const {
    read_lock lock(mutex_);
    const payment_method* m = state_.payment_methods.find(id);
    if (!m) return payment_method_not_found();
    return api_answer{200, render(384, [&](json_writer& w) { write_payment_method(w, *m); })};
}

result<api_answer> store::create_payment_method(const payment_method_input& in) {
    write_lock lock(mutex_);
    customer* owner = in.customer_id ? state_.customers.find(*in.customer_id) : nullptr;
    if (!owner) return customer_not_found();
    const payment_method& m = add_payment_method(*owner, in);
    // As the seed's create answer shows, the number sent comes back in LastFourDigits.
    return api_answer{201, render(384, [&](json_writer& w) { write_payment_method(w, m, in.number); })};
}

result<api_answer> store::set_primary_payment_method(std::int64_t id) {
    write_lock lock(mutex_);
    payment_method* m = state_.payment_methods.find(id);
    if (!m) return payment_method_not_found();
    customer* owner = state_.customers.find(m->customer_id);
    if (!owner) return customer_not_found();
    make_primary(*owner, *m);
    return no_content();
}

result<api_answer> store::delete_payment_method(std::int64_t id) {
    write_lock lock(mutex_);
    const payment_method* m = state_.payment_methods.find(id);
    if (!m) return payment_method_not_found();
    const auto owner_id = m->customer_id;
    const bool was_primary = m->is_primary;
    index_remove(state_.payment_methods_by_customer, owner_id, id);
    state_.payment_methods.erase(id);
    if (customer* owner = state_.customers.find(owner_id);
        owner && owner->primary_payment && owner->primary_payment->payment_method_id == id) {
        owner->primary_payment.reset();
        // The oldest remaining method becomes primary, as a customer with methods always has one.
        auto it = state_.payment_methods_by_customer.find(owner_id);
        if (was_primary && it != state_.payment_methods_by_customer.end() && !it->second.empty())
            make_primary(*owner, *state_.payment_methods.find(it->second.front()));
    }
    return no_content();
}

}  // namespace blubridge::sandbox
