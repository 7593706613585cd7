// GET operations: the customer graph, one contact, the autopay methods, customer lists.
#include "operations.hpp"

#include "../customer_io.hpp"
#include "../json_text.hpp"
#include "../router.hpp"

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
    auto id = co_await customer_id(ctx);
    if (!id) co_return id.error();
    auto methods = co_await ctx.billagain.get("/v1/customers/" + std::to_string(*id) + "/paymentmethods");
    if (!methods) co_return methods.error();
    auto xml = outbound(*ctx.rt.dtos.autopay_list, methods->body);
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

// offset/max over Billagain's pages: fetch the pages that cover [offset, offset + max)
// at the largest page size, then cut.
net::awaitable<operation_result> list_customers(operation_context& ctx) {
    const auto& q = ctx.target.list;
    if (!q.search.empty() || !q.status.empty()) {
        co_return not_supported("search and status filters on customer lists (they need the customer directory)");
    }
    std::vector<std::string> picked;
    const std::uint64_t page_size = max_list_page;
    std::uint64_t page = q.offset / page_size + 1;
    std::uint64_t skip = q.offset % page_size;
    while (picked.size() < q.max) {
        auto reply = co_await ctx.billagain.get("/v1/customers?page=" + std::to_string(page) +
                                                "&page_size=" + std::to_string(page_size));
        if (!reply) co_return reply.error();
        auto items = json::split_array(reply->body);
        if (!items) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable customer list"};
        for (std::size_t i = skip; i < items->size() && picked.size() < q.max; ++i) picked.push_back((*items)[i]);
        if (items->size() < page_size) break;
        skip = 0;
        ++page;
    }
    auto xml = outbound(*ctx.rt.dtos.customer_list, json::join_array(picked));
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::ok, std::move(*xml), {}};
}

}  // namespace blubridge::gateway::operations
