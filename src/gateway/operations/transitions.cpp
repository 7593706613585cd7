// Customer transitions (4.1.9): the status changes the customer directory recorded,
// each with the customer as a REST query shows it.
#include "operations.hpp"

#include "../state_call.hpp"

#include "../customer_graph.hpp"
#include "../dto_conversion.hpp"
#include "../directory_resolver.hpp"
#include "../json_text.hpp"
#include "../json_tree.hpp"

#include <ctime>
#include <unordered_map>

namespace blubridge::gateway::operations {

namespace {

// Billagain's own date form (UTC), which the transition mapping reads like any other.
std::string billagain_date(directory::unix_seconds at) {
    const std::time_t t = at;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return text;
}

}  // namespace

net::awaitable<step<std::string>> transition_document(operation_context& ctx,
                                                      const std::vector<directory::transition>& transitions) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::uint64_t> ids;
    for (const auto& t : transitions)
        if (std::find(ids.begin(), ids.end(), t.customer) == ids.end()) ids.push_back(t.customer);
    auto records = co_await customers_with_contacts(ctx, ids);
    if (!records) co_return records.error();
    std::unordered_map<std::uint64_t, std::string> by_id;
    for (const auto& r : *records) by_id.emplace(r.id, json::write(r.shown->root()));

    const auto& roles = dtos.transition_roles;
    std::vector<std::string> items;
    for (const auto& t : transitions) {
        auto record = by_id.find(t.customer);
        // A customer deleted since: shown with what the transition kept of it.
        const std::string customer =
            record != by_id.end() ? record->second
                                  : json::join_object({{dtos.customer_roles.id, std::to_string(t.customer)},
                                                       {dtos.customer_roles.reference, json::quote(t.reference)}});
        items.push_back(json::join_object({{roles.id, std::to_string(t.id)},
                                           {roles.date, json::quote(billagain_date(t.at))},
                                           {roles.previous, json::quote(t.previous)},
                                           {roles.next, json::quote(t.next)},
                                           {roles.customer, customer}}));
    }
    co_return outbound(*dtos.customer_transition_list, json::join_array(items));
}

net::awaitable<operation_result> list_transitions(operation_context& ctx) {
    const auto window = resolve_window(ctx.target.transitions, unix_now());
    const auto recorded = co_await state_call(ctx, [&] { return ctx.directory.transitions(window.from, window.to); });
    auto xml = co_await transition_document(ctx, recorded);
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

}  // namespace blubridge::gateway::operations
