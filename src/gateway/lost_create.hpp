#pragma once
#include "operation_context.hpp"

#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string_view>

namespace blubridge::gateway {

/// What became of a customer create whose Billagain answer never arrived.
struct lost_create {
    enum class verdict {
        found,    ///< Billagain has it: `id`
        absent,   ///< every customer newer than the marker was looked at: it was not created
        unknown,  ///< Billagain could not be asked (or too many customers are newer)
    };
    verdict outcome = verdict::unknown;
    std::uint64_t id = 0;
};

/// Looks for the customer `request_json` (the converted create request) would have
/// created, among Billagain's customers with an id above `highest_before` (the
/// directory's newest customer before the create). Billagain lists customers in creation
/// order, so only the last pages are read, starting just before the page where the
/// directory's size puts `highest_before` (stepping back while a page starts above it).
/// A customer matches by reference when the request has one (the reference was free
/// when the create began, under its lock), else by name, last name, company and email.
/// A match is observed through the resolver (into the directory).
net::awaitable<lost_create> find_lost_create(operation_context& ctx, std::string_view request_json,
                                             std::uint64_t highest_before);

}  // namespace blubridge::gateway
