#include "operations.hpp"

namespace blubridge::gateway::operations {

net::awaitable<operation_result> run(operation_context& ctx) {
    switch (ctx.target.op) {
    case operation_kind::get_customer: co_return co_await get_customer(ctx);
    case operation_kind::get_contact: co_return co_await get_contact(ctx);
    case operation_kind::list_customers: co_return co_await list_customers(ctx);
    case operation_kind::create_customer: co_return co_await create_customer(ctx);
    case operation_kind::update_customer: co_return co_await update_customer(ctx);
    case operation_kind::update_contact: co_return co_await update_contact(ctx);
    case operation_kind::delete_customer: co_return co_await delete_customer(ctx);
    case operation_kind::customer_action: co_return co_await customer_action(ctx);
    case operation_kind::list_autopay: co_return co_await list_autopay(ctx);
    case operation_kind::save_autopay: co_return co_await save_autopay(ctx);
    case operation_kind::add_customer_and_order: co_return co_await add_customer_and_order(ctx);
    case operation_kind::list_transitions: co_return co_await list_transitions(ctx);
    case operation_kind::not_supported: break;
    }
    co_return not_supported("not supported by this gateway: " + ctx.target.missing);
}

}  // namespace blubridge::gateway::operations
