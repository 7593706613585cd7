#pragma once
#include <blubridge/mapping/mapping_set.hpp>

#include <string>
#include <string_view>

namespace blubridge::gateway {

/// A request target fit for a log line: the value of every query parameter named like a
/// field the mappings mark secret (`?passwd=…`, `?cardNumber=…`, any case) is `***`, and
/// any run of 12 or more digits left (a card or account number under another name) too.
/// Secrets belong in bodies, which are never logged, but a client may still put one in
/// a URL.
std::string loggable_target(std::string_view target, const mapping::mapping_set& mappings);

}  // namespace blubridge::gateway
