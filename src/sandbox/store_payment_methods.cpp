#include "store.hpp"

#include "detail/store_common.hpp"
#include "representation.hpp"

namespace blubridge::sandbox {

using detail::children_of;
using detail::no_content;
using detail::object_reserve;
using detail::read_lock;
using detail::render;
using detail::write_lock;

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

namespace {

// The sandbox's stand-in for a payment gateway's verdict: a card number that fails the Luhn
// check is stored with isValid false (as a real gateway declines it), so validate=true can be
// tried. Bank accounts are not checked.
bool passes_luhn(const std::string& number) {
    int sum = 0;
    bool twice = false;
    for (auto it = number.rbegin(); it != number.rend(); ++it) {
        if (*it < '0' || *it > '9') return false;
        int d = *it - '0';
        if (twice && (d *= 2) > 9) d -= 9;
        sum += d;
        twice = !twice;
    }
    return !number.empty() && sum % 10 == 0;
}

}  // namespace

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
    m.is_valid = in.type != payment_method::kind::credit_card || passes_luhn(in.number);
    const bool first = state_.payment_methods_by_customer.count(owner.id) == 0;
    index_add(state_.payment_methods_by_customer, owner.id, m.id);
    payment_method& stored = state_.payment_methods.insert(std::move(m));
    if (in.is_primary || first || !owner.primary_payment) make_primary(owner, stored);
    return stored;
}

result<api_answer> store::list_customer_payment_methods(std::int64_t customer_id, const page_request& p) const {
    read_lock lock(mutex_);
    if (!state_.customers.contains(customer_id)) return customer_not_found();
    const auto& ids = children_of(state_.payment_methods_by_customer, customer_id);
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
