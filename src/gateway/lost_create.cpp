#include "lost_create.hpp"

#include "customer_lookup.hpp"
#include "customer_resolver.hpp"
#include "json_text.hpp"

#include <optional>
#include <string>
#include <vector>

namespace blubridge::gateway {

namespace {

// Pages read at most: customers created elsewhere meanwhile push ours further back.
constexpr std::uint64_t max_pages = 25;

// The members a created customer is recognised by, read from the request.
struct probe {
    std::vector<std::string_view> names;  // into the runtime's roles
    std::vector<std::optional<std::string>> values;

    bool matches(std::string_view record) const { return json::string_members(record, names) == values; }
};

probe probe_for(const runtime& rt, std::string_view request) {
    const auto& roles = rt.dtos.customer_roles;
    probe p;
    const auto reference = json::string_member(request, roles.reference);
    if (reference && !reference->empty()) {
        p.names = {roles.reference};
    } else {
        p.names = {roles.name, roles.last_name, roles.company, roles.email};
    }
    p.values = json::string_members(request, p.names);
    return p;
}

std::optional<std::uint64_t> first_id(std::string_view page, const std::string& id_member) {
    auto records = json::split_array(page);
    if (!records || records->empty()) return std::nullopt;
    return json::integer_member(records->front(), id_member);
}

// The page to start from: where the directory's count puts its newest customer, one
// page earlier, and earlier still while that page starts above the marker (customers
// deleted in Billagain since the directory counted them).
net::awaitable<std::optional<std::uint64_t>> starting_page(operation_context& ctx, std::uint64_t highest_before) {
    const std::uint64_t count = ctx.directory.size();
    std::uint64_t page = count / customers_page_size + 1;
    if (page > 1) --page;
    for (std::uint64_t steps = 0; page > 1 && steps < max_pages; ++steps) {
        auto reply = co_await ctx.billagain.get(customers_page_target(page));
        if (!reply) co_return std::nullopt;
        const auto first = first_id(reply->body, ctx.rt.dtos.customer_roles.id);
        if (first && *first <= highest_before) break;
        --page;
    }
    co_return page;
}

}  // namespace

net::awaitable<lost_create> find_lost_create(operation_context& ctx, std::string_view request_json,
                                             std::uint64_t highest_before) {
    const probe wanted = probe_for(ctx.rt, request_json);
    const auto& id_member = ctx.rt.dtos.customer_roles.id;
    auto page = co_await starting_page(ctx, highest_before);
    if (!page) co_return lost_create{};
    for (std::uint64_t read = 0; read < max_pages; ++read, ++*page) {
        auto reply = co_await ctx.billagain.get(customers_page_target(*page));
        if (!reply) co_return lost_create{};
        auto records = json::split_array(reply->body);
        if (!records) co_return lost_create{};
        for (const auto& record : *records) {
            const auto id = json::integer_member(record, id_member);
            if (!id || *id <= highest_before || !wanted.matches(record)) continue;
            co_await observe_record(ctx, record);
            co_return lost_create{lost_create::verdict::found, *id};
        }
        if (records->size() < customers_page_size) co_return lost_create{lost_create::verdict::absent, 0};
    }
    co_return lost_create{};
}

}  // namespace blubridge::gateway
