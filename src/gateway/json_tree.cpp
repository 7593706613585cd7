#include "json_tree.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace blubridge::gateway::json {

namespace {

// Numbers as text and UTF-8 checked: how the mapping engine and json_text read JSON.
constexpr unsigned parse_flags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;
// A customer record with its contacts fits in a few KiB: one block, not RapidJSON's 64 KiB.
constexpr std::size_t block_size = 8 * 1024;

rapidjson::Value::StringRefType ref(std::string_view s) {
    return {s.data(), static_cast<rapidjson::SizeType>(s.size())};
}

// The parser's stack allocator: CrtAllocator holds no state, so one serves every tree
// (left to itself, each Document allocates one of its own).
rapidjson::CrtAllocator stack_allocator;
constexpr std::size_t parser_stack_capacity = 1024;  // RapidJSON's default (a private constant there)

}  // namespace

tree::storage::storage() : values(block_size), doc(&values, parser_stack_capacity, &stack_allocator) {}

std::optional<tree> tree::parse(std::string_view text) {
    auto s = std::make_unique<storage>();
    s->doc.Parse<parse_flags>(text.data(), text.size());
    if (s->doc.HasParseError()) return std::nullopt;
    return tree(std::move(s));
}

const tree::value* tree::member(std::string_view name) const {
    const auto& r = root();
    if (!r.IsObject()) return nullptr;
    const auto it = r.FindMember(ref(name));
    return it == r.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string_view> tree::string_member(std::string_view name) const {
    const auto* v = member(name);
    if (!v || !v->IsString()) return std::nullopt;
    return std::string_view(v->GetString(), v->GetStringLength());
}

tree::value& tree::slot(value& object, std::string_view name) {
    if (auto it = object.FindMember(ref(name)); it != object.MemberEnd()) return it->value;
    object.AddMember(value(name.data(), static_cast<rapidjson::SizeType>(name.size()), doc_->values), value(),
                     doc_->values);
    return (object.MemberEnd() - 1)->value;
}

bool tree::adopt(std::string_view name, value& v) {
    if (!root().IsObject()) return false;
    slot(root(), name) = v;  // RapidJSON's assignment moves
    return true;
}

bool tree::set_parsed(value& object, std::string_view name, std::string_view text) {
    if (!object.IsObject()) return false;
    rapidjson::Document parsed(&doc_->values, parser_stack_capacity, &stack_allocator);
    parsed.Parse<parse_flags>(text.data(), text.size());
    if (parsed.HasParseError()) return false;
    slot(object, name) = static_cast<value&>(parsed);  // its storage is this tree's allocator
    return true;
}

bool tree::set_true(std::string_view name) {
    if (!root().IsObject()) return false;
    slot(root(), name).SetBool(true);
    return true;
}

std::string write(const tree::value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace blubridge::gateway::json
