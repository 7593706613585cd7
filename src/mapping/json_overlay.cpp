#include <blubridge/mapping/json_overlay.hpp>

namespace blubridge::mapping {

// Member lookups go through HasMember/operator[] rather than comparing MemberIterators:
// RapidJSON 1.1.0's iterator comparisons are ambiguous under C++20's rewritten operators.

void overlay_json(rapidjson::Value& target, const rapidjson::Value& patch,
                  rapidjson::Document::AllocatorType& allocator)
{
    if (!target.IsObject() || !patch.IsObject()) return;
    for (auto m = patch.MemberBegin(); m != patch.MemberEnd(); ++m) {
        if (!target.HasMember(m->name)) {
            target.AddMember(rapidjson::Value(m->name, allocator), rapidjson::Value(m->value, allocator),
                             allocator);
            continue;
        }
        rapidjson::Value& existing = target[m->name];
        if (existing.IsObject() && m->value.IsObject())
            overlay_json(existing, m->value, allocator);
        else
            existing.CopyFrom(m->value, allocator);
    }
}

bool take_member(rapidjson::Value& object, std::string_view path, rapidjson::Value& out)
{
    rapidjson::Value* current = &object;
    for (;;) {
        if (!current->IsObject()) return false;
        const auto dot = path.find('.');
        const std::string_view part = path.substr(0, dot);
        const rapidjson::Value name(rapidjson::StringRef(part.data(), static_cast<rapidjson::SizeType>(part.size())));
        if (!current->HasMember(name)) return false;
        if (dot == std::string_view::npos) {
            out = (*current)[name];  // moves
            current->EraseMember(name);
            return true;
        }
        current = &(*current)[name];
        path.remove_prefix(dot + 1);
    }
}

} // namespace blubridge::mapping
