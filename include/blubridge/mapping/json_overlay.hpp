#ifndef BLUBRIDGE_MAPPING_JSON_OVERLAY_HPP
#define BLUBRIDGE_MAPPING_JSON_OVERLAY_HPP

// Helpers for the read-modify-write the gateway does on Billagain PUTs, which need the
// whole record: overlay what the client sent (converted by a mapping) onto what was read.

#include <rapidjson/document.h>

#include <string_view>

namespace blubridge::mapping {

/// Copies every member of the object `patch` into the object `target`, recursing into members
/// that are objects on both sides; anything else (scalars, arrays, null) replaces the target's
/// member. Arrays are replaced whole, never merged by position. Members absent from `patch`
/// are left as they were, which is what "a PUT of the mapped fields only" means.
/// Does nothing unless both are objects. `allocator` must own `target`.
void overlay_json(rapidjson::Value& target, const rapidjson::Value& patch,
                  rapidjson::Document::AllocatorType& allocator);

/// Removes the member named by the dotted `path` (e.g. a mapping's role such as
/// "SalesContact") from `object` and moves its value into `out`; false when absent.
/// Lets the gateway split gateway-side members off before sending a body upstream.
bool take_member(rapidjson::Value& object, std::string_view path, rapidjson::Value& out);

} // namespace blubridge::mapping

#endif
