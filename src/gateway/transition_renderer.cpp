#include "transition_renderer.hpp"

#include "billagain_api.hpp"
#include "operations/operations.hpp"

namespace blubridge::gateway {

namespace {

// The account's Billagain authorization in `rt`: any of its clients' (they share the key).
const std::string* authorization_of(const runtime& rt, const std::string& account_id) {
    for (const auto& c : rt.clients)
        if (c.account_id == account_id) return &c.billagain_authorization;
    return nullptr;
}

// A named coroutine with by-value parameters: they live in its frame for as long as it
// runs (a capturing lambda coroutine would dangle once the lambda is gone).
net::awaitable<std::optional<std::string>> render(std::shared_ptr<runtime_holder> runtimes,
                                                  std::shared_ptr<upstream::client> upstream, account acct,
                                                  std::shared_ptr<keyed_mutex> locks, directory::transition t) {
    const auto rt = runtimes->current();
    const auto* authorization = authorization_of(*rt, acct.id);
    if (authorization == nullptr) co_return std::nullopt;  // no client uses the account any more
    billagain_api api(*upstream, *authorization, {});
    const route no_route;
    const std::string no_body;
    operation_context ctx{*rt, no_route, no_body, api, *acct.resolver, *acct.directory, *locks, locks};
    std::vector<directory::transition> one;  // GCC 12: no braced lists in co_await
    one.push_back(std::move(t));
    auto xml = co_await operations::transition_document(ctx, one);
    if (!xml) co_return std::nullopt;
    co_return std::move(*xml);
}

}  // namespace

callbacks::renderer make_transition_renderer(std::shared_ptr<runtime_holder> runtimes,
                                             std::shared_ptr<upstream::client> upstream, account acct,
                                             std::shared_ptr<keyed_mutex> locks) {
    return [=](const directory::transition& t) { return render(runtimes, upstream, acct, locks, t); };
}

}  // namespace blubridge::gateway
