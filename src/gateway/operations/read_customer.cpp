// GET operations: the customer graph, one contact, the autopay methods, customer lists.
#include "operations.hpp"

#include "../customer_io.hpp"
#include "../json_text.hpp"
#include "../router.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace blubridge::gateway::operations {

net::awaitable<operation_result> get_customer(operation_context& ctx) {
    auto graph = co_await read_selected_customer(ctx);
    if (!graph) co_return graph.error();
    auto xml = outbound(*ctx.rt.dtos.customer, graph->combined);
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

net::awaitable<operation_result> get_contact(operation_context& ctx) {
    auto graph = co_await read_selected_customer(ctx);
    if (!graph) co_return graph.error();
    step<std::string> xml = failure{};
    if (ctx.target.contact == contact_kind::billing) {
        xml = outbound(*ctx.rt.dtos.billing_contact, graph->combined);
    } else {
        if (!graph->sales) co_return not_found("customer " + std::to_string(graph->id) + " has no salesContact");
        xml = outbound(*ctx.rt.dtos.sales_contact, *graph->sales);
    }
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

net::awaitable<operation_result> list_autopay(operation_context& ctx) {
    auto id = co_await confirmed_customer_id(ctx);
    if (!id) co_return id.error();
    auto methods = co_await ctx.billagain.get("/v1/customers/" + std::to_string(*id) + "/paymentmethods");
    if (!methods) co_return methods.error();
    auto xml = outbound(*ctx.rt.dtos.autopay_list, methods->body);
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

namespace {

constexpr std::uint64_t billagain_page = max_list_page;  // Billagain's largest page

net::awaitable<step<std::vector<std::string>>> customer_page(operation_context& ctx, std::uint64_t page) {
    auto reply = co_await ctx.billagain.get("/v1/customers?page=" + std::to_string(page) +
                                            "&page_size=" + std::to_string(billagain_page));
    if (!reply) co_return reply.error();
    auto items = json::split_array(reply->body);
    if (!items) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable customer list"};
    co_return std::move(*items);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Which customers a search and status filter keep. The status a customer shows comes
// from Billagain flags through the customer mapping's value map, so the flag pairs that
// give the status asked for are found by converting each pair once.
class customer_filter {
public:
    customer_filter(const runtime& rt, const list_query& q) : search_(lower(q.search)) {
        const auto& dto = *rt.dtos.customer;
        const auto& roles = rt.dtos.customer_roles;
        search_members_ = {roles.name, roles.last_name, roles.company, roles.email, roles.reference};
        active_ = roles.active;
        suspended_ = roles.suspended;
        if (q.status.empty()) return;
        filter_status_ = true;
        for (int pair = 0; pair < 4; ++pair) {
            const std::string json = json::join_object({{std::string(active_), pair & 2 ? "true" : "false"},
                                                        {std::string(suspended_), pair & 1 ? "true" : "false"}});
            auto xml = outbound(dto, json);
            accepts_[pair] = xml && xml->find(">" + q.status + "<") != std::string::npos;
        }
    }

    bool keeps(const std::string& record) const {
        if (filter_status_) {
            const auto active = json::bool_member(record, active_).value_or(false);
            const auto suspended = json::bool_member(record, suspended_).value_or(false);
            if (!accepts_[(active ? 2 : 0) + (suspended ? 1 : 0)]) return false;
        }
        if (search_.empty()) return true;
        auto values = json::string_members(record, search_members_);
        // An individual's name is Name + LastName: "bill jos" finds Bill Joseph.
        if (values[0] && values[1]) values.push_back(*values[0] + " " + *values[1]);
        return std::any_of(values.begin(), values.end(), [&](const std::optional<std::string>& v) {
            return v && lower(*v).find(search_) != std::string::npos;
        });
    }

private:
    std::string search_;
    std::vector<std::string_view> search_members_;
    std::string_view active_, suspended_;
    bool filter_status_ = false;
    std::array<bool, 4> accepts_{};
};

}  // namespace

// offset/max over Billagain's pages: fetch the pages that cover [offset, offset + max) at
// the largest page size, then cut. With a search or status filter every page up to the
// window is read and filtered here (the customer directory will replace this scan).
net::awaitable<operation_result> list_customers(operation_context& ctx) {
    const auto& q = ctx.target.list;
    const bool filtered = !q.search.empty() || !q.status.empty();
    const customer_filter filter(ctx.rt, q);
    std::vector<std::string> picked;
    std::uint64_t page = filtered ? 1 : q.offset / billagain_page + 1;
    std::uint64_t skip = filtered ? q.offset : q.offset % billagain_page;  // matches still to pass over
    while (picked.size() < q.max) {
        auto items = co_await customer_page(ctx, page++);
        if (!items) co_return items.error();
        for (std::size_t i = filtered ? 0 : std::min<std::uint64_t>(skip, items->size());
             i < items->size() && picked.size() < q.max; ++i) {
            if (filtered && !filter.keeps((*items)[i])) continue;
            if (filtered && skip > 0) {
                --skip;
                continue;
            }
            picked.push_back(std::move((*items)[i]));
        }
        if (items->size() < billagain_page) break;
        if (!filtered) skip = 0;
    }
    auto xml = outbound(*ctx.rt.dtos.customer_list, json::join_array(picked));
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

}  // namespace blubridge::gateway::operations
