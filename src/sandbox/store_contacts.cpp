#include "store.hpp"

#include "detail/store_common.hpp"
#include "representation.hpp"

#include <cctype>

namespace blubridge::sandbox {

using detail::children_of;
using detail::no_content;
using detail::object_reserve;
using detail::read_lock;
using detail::render;
using detail::write_lock;

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
    const auto& ids = children_of(state_.contacts_by_customer, customer_id);
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

}  // namespace blubridge::sandbox
