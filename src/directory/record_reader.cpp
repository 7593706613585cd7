#include "record_reader.hpp"

#include "detail/billagain_date.hpp"
#include "detail/entry_text.hpp"
#include "detail/fnv1a.hpp"

#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include <string>

namespace blubridge::directory {
namespace {

// A RapidJSON output stream that hashes what a Writer emits instead of storing it.
struct hashing_stream {
    using Ch = char;
    detail::fnv1a hash;
    void Put(char c) { hash.add(c); }
    void Flush() {}
};

constexpr auto parse_flags = rapidjson::kParseFullPrecisionFlag;

const rapidjson::Value* member(const rapidjson::Value& object, const std::string& name) {
    if (name.empty()) return nullptr;
    const auto it = object.FindMember(rapidjson::Value::StringRefType(name.data(), static_cast<rapidjson::SizeType>(name.size())));
    return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string text_member(const rapidjson::Value& object, const std::string& name) {
    const auto* v = member(object, name);
    if (!v) return {};
    if (v->IsString()) return {v->GetString(), v->GetStringLength()};
    // References are sometimes numbers; their text is what a client would send.
    if (v->IsUint64()) return std::to_string(v->GetUint64());
    if (v->IsInt64()) return std::to_string(v->GetInt64());
    return {};
}

bool flag_member(const rapidjson::Value& object, const std::string& name) {
    const auto* v = member(object, name);
    return v && v->IsBool() && v->GetBool();
}

std::optional<customer_entry> read_value(const rapidjson::Value& record, const record_fields& fields) {
    if (!record.IsObject()) return std::nullopt;
    const auto* id = member(record, fields.id);
    if (!id || !id->IsUint64() || id->GetUint64() == 0) return std::nullopt;

    customer_entry entry;
    entry.id = id->GetUint64();
    if (const auto* created = member(record, fields.created); created && created->IsString())
        entry.created = detail::parse_billagain_date({created->GetString(), created->GetStringLength()}).value_or(0);
    entry.flags.active = flag_member(record, fields.active);
    entry.flags.suspended = flag_member(record, fields.suspended);
    entry.text = detail::join_fields(text_member(record, fields.reference), text_member(record, fields.name),
                                     text_member(record, fields.last_name), text_member(record, fields.company),
                                     text_member(record, fields.email));
    hashing_stream out;
    rapidjson::Writer<hashing_stream> writer(out);
    record.Accept(writer);
    entry.fingerprint = out.hash.value();
    return entry;
}

}  // namespace

record_reader::record_reader(record_fields fields) : fields_(std::move(fields)) {}

std::optional<customer_entry> record_reader::read_record(std::string_view json) const {
    rapidjson::Document doc;
    doc.Parse<parse_flags>(json.data(), json.size());
    if (doc.HasParseError()) return std::nullopt;
    return read_value(doc, fields_);
}

std::optional<std::vector<customer_entry>> record_reader::read_page(std::string_view json) const {
    rapidjson::Document doc;
    doc.Parse<parse_flags>(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsArray()) return std::nullopt;
    std::vector<customer_entry> entries;
    entries.reserve(doc.Size());
    for (const auto& record : doc.GetArray()) {
        auto entry = read_value(record, fields_);
        if (!entry) return std::nullopt;
        entries.push_back(std::move(*entry));
    }
    return entries;
}

}  // namespace blubridge::directory
