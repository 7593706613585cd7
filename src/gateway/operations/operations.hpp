#pragma once
// One coroutine per BluBilling operation (section 4.1), each a readable sequence of
// upstream steps: look up, read, merge, write, read back.
#include "../operation_context.hpp"

#include <boost/asio/awaitable.hpp>

namespace blubridge::gateway::operations {

net::awaitable<operation_result> get_customer(operation_context& ctx);
net::awaitable<operation_result> get_contact(operation_context& ctx);
net::awaitable<operation_result> list_customers(operation_context& ctx);
net::awaitable<operation_result> create_customer(operation_context& ctx);
net::awaitable<operation_result> update_customer(operation_context& ctx);
net::awaitable<operation_result> update_contact(operation_context& ctx);
net::awaitable<operation_result> delete_customer(operation_context& ctx);
net::awaitable<operation_result> customer_action(operation_context& ctx);
net::awaitable<operation_result> list_autopay(operation_context& ctx);
net::awaitable<operation_result> save_autopay(operation_context& ctx);
net::awaitable<operation_result> add_customer_and_order(operation_context& ctx);
net::awaitable<operation_result> list_transitions(operation_context& ctx);

/// The `<list>` of `transitions` as GET /rest/customers/transitions shows them, each with
/// its customer read from Billagain (one call per 200 customers); also the body of a
/// website callback.
net::awaitable<boost::system::result<std::string, failure>> transition_document(
    operation_context& ctx, const std::vector<directory::transition>& transitions);

/// Runs the operation the route names; 501 for routes without a Billagain counterpart.
net::awaitable<operation_result> run(operation_context& ctx);

}  // namespace blubridge::gateway::operations
