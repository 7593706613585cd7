// Stored payment methods (autopay) and the deprecated customer-with-orders create.
#include "operations.hpp"

#include "../customer_io.hpp"
#include "../customer_resolver.hpp"
#include "../json_text.hpp"

namespace blubridge::gateway::operations {

net::awaitable<operation_result> save_autopay(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::string> ignored;
    auto request = inbound(*dtos.autopay, ctx.body, ignored);
    if (!request) co_return request.error();
    auto id = co_await customer_id(ctx);
    if (!id) co_return id.error();

    // Billagain stores cards and bank accounts; its other methods are customer settings.
    const auto type = json::string_member(*request, dtos.autopay_roles.type).value_or("");
    std::string endpoint;
    if (type == "credit_card") endpoint = "/v1/paymentmethods/creditcard";
    else if (type == "bank_account") endpoint = "/v1/paymentmethods/bankaccount";
    else co_return not_supported("storing a '" + type + "' payment method (Billagain stores only cards and bank accounts)");

    auto body = json::with_members(*request, {{dtos.autopay_roles.customer_id, std::to_string(*id)}});
    if (!body) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    auto saved = co_await ctx.billagain.post(endpoint, std::move(*body));
    if (!saved) co_return saved.error();
    // Billagain's answer echoes card digits: it is never passed on, only acknowledged.
    std::optional<std::string> reference;
    if (!ctx.target.customer.ext_ref.empty()) reference = ctx.target.customer.ext_ref;
    co_return xml_reply{http::status::ok, status_document(ctx.rt, true, *id, reference, {}), std::move(ignored)};
}

net::awaitable<operation_result> add_customer_and_order(operation_context& ctx) {
    const auto& dtos = ctx.rt.dtos;
    std::vector<std::string> ignored;
    auto request = inbound(*dtos.add_customer_and_order, ctx.body, ignored);
    if (!request) co_return request.error();

    const auto reference = json::string_member(*request, dtos.customer_roles.reference);
    if (reference) {
        auto used = co_await ctx.resolver.in_use(*reference, ctx.billagain, ctx.rt);
        if (!used) co_return used.error();
        if (*used) co_return conflict("extCustomerRef '" + *reference + "' is already in use");
    }
    auto split = json::take_member(*request, dtos.customer_roles.sales_contact);
    if (!split) co_return failure{http::status::internal_server_error, "unreadable converted request"};
    if (split->second) {
        co_return not_supported("a salesContact in addCustomerAndOrder (Billagain cannot create it in the same atomic call)");
    }
    // One Billagain create carries the customer and its subscriptions: atomic there.
    auto created = co_await ctx.billagain.post("/v1/customers", split->first);
    if (!created) co_return created.error();
    auto id = json::integer_member(created->body, dtos.customer_roles.id);
    if (!id) co_return failure{http::status::bad_gateway, "Billagain created the customer but sent no id"};
    if (reference) ctx.resolver.remember(*reference, *id);

    auto graph = co_await read_customer(ctx, *id);
    if (!graph) co_return graph.error();
    auto subscriptions = co_await ctx.billagain.get("/v1/customers/" + std::to_string(*id) + "/subscriptions");
    if (!subscriptions) co_return subscriptions.error();
    auto combined = json::with_members(graph->combined, {{dtos.order_roles.subscriptions, subscriptions->body}});
    if (!combined) co_return failure{http::status::bad_gateway, "Billagain sent an unreadable subscription list"};
    auto xml = outbound(*dtos.add_customer_and_order_response, *combined);
    if (!xml) co_return xml.error();
    co_return xml_reply{http::status::created, std::move(*xml), std::move(ignored)};
}

}  // namespace blubridge::gateway::operations
