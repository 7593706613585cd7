#include "kept_members.hpp"

#include "state_call.hpp"

#include "json_text.hpp"

namespace blubridge::gateway {

std::string payment_method_scope(std::uint64_t method) { return "payment_method/" + std::to_string(method); }

boost::system::result<kept_split, failure> take_kept(std::string_view converted, std::string_view kept_role) {
    auto split = json::take_member(converted, kept_role);
    if (!split) return failure{http::status::internal_server_error, "unreadable converted request"};
    return kept_split{std::move(split->first), std::move(split->second)};
}

boost::system::result<std::optional<kept_split>, failure> take_kept_if_any(const std::optional<std::string>& converted,
                                                                           std::string_view kept_role) {
    if (!converted) return std::optional<kept_split>{};
    auto split = take_kept(*converted, kept_role);
    if (!split) return split.error();
    return std::optional<kept_split>(std::move(*split));
}

std::optional<std::string_view> kept_in(const std::vector<directory::kept_members>& all, std::string_view scope) {
    for (const auto& k : all)
        if (k.scope == scope) return std::string_view(k.members);
    return std::nullopt;
}

net::awaitable<void> keep(operation_context& ctx, std::uint64_t customer, std::string_view scope,
                          const std::optional<std::string>& kept, bool merge) {
    if (!kept) co_return;
    auto& directory = ctx.directory;
    std::string members = *kept;
    if (merge) {
        const auto before = co_await state_call(ctx, [&] { return directory.kept(customer); });
        const auto earlier = kept_in(before, scope);
        auto changes = json::split_object(*kept);
        if (earlier && changes) {
            if (auto merged = json::with_members(*earlier, *changes)) members = std::move(*merged);
        }
    }
    co_await state_call(ctx, [&] { directory.keep_members(customer, scope, members); });
}

}  // namespace blubridge::gateway
