#include "record_reader.hpp"

#include "detail/billagain_date.hpp"
#include "detail/entry_text.hpp"
#include "detail/fnv1a.hpp"

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
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

// One record read in a single SAX pass, without building a DOM (every GET observes the record
// it read, so this is on the request path): the top-level members the directory keeps are
// picked up as they go by, and every event is written to the hashing Writer, which gives the
// same fingerprint as read_value's DOM written back (same events, same text).
class record_scanner {
public:
    record_scanner(const record_fields& fields, rapidjson::Writer<hashing_stream>& writer)
        : fields_(fields), writer_(writer) {
        writer_.Reset(out_);
    }

    bool Null() { return scalar(writer_.Null()); }
    bool Bool(bool b) {
        if (top_level()) {
            if (key_ == fields_.active) take(seen_active_, [&] { entry_.flags.active = b; });
            else if (key_ == fields_.suspended) take(seen_suspended_, [&] { entry_.flags.suspended = b; });
        }
        return scalar(writer_.Bool(b));
    }
    bool Int(int i) { return integer(i < 0, static_cast<std::uint64_t>(i), std::to_string(i), writer_.Int(i)); }
    bool Uint(unsigned u) { return integer(false, u, std::to_string(u), writer_.Uint(u)); }
    bool Int64(std::int64_t i) {
        return integer(i < 0, static_cast<std::uint64_t>(i), std::to_string(i), writer_.Int64(i));
    }
    bool Uint64(std::uint64_t u) { return integer(false, u, std::to_string(u), writer_.Uint64(u)); }
    bool Double(double d) { return scalar(writer_.Double(d)); }
    bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; }  // not parsed with that flag
    bool String(const char* s, rapidjson::SizeType n, bool copy) {
        if (top_level()) text(std::string_view(s, n), false);
        return scalar(writer_.String(s, n, copy));
    }
    bool StartObject() {
        if (depth_ == 0) is_object_ = true;
        if (top_level()) mark_seen();
        ++depth_;
        return writer_.StartObject();
    }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) {
        if (depth_ == 1) key_.assign(s, n);
        return writer_.Key(s, n, copy);
    }
    bool EndObject(rapidjson::SizeType n) {
        --depth_;
        return writer_.EndObject(n);
    }
    bool StartArray() {
        if (top_level()) mark_seen();
        ++depth_;
        return writer_.StartArray();
    }
    bool EndArray(rapidjson::SizeType n) {
        --depth_;
        return writer_.EndArray(n);
    }

    std::optional<customer_entry> result() {
        if (!is_object_ || entry_.id == 0) return std::nullopt;
        entry_.text = detail::join_fields(reference_, name_, last_name_, company_, email_);
        entry_.fingerprint = out_.hash.value();
        return std::move(entry_);
    }

private:
    bool top_level() const { return depth_ == 1 && is_object_; }
    // A member counts the first time its name is seen, as FindMember finds the first.
    template <class Set>
    void take(bool& seen, Set set) {
        if (!seen) set();
        seen = true;
    }
    bool scalar(bool written) {
        if (top_level()) mark_seen();
        return written;
    }
    bool integer(bool negative, std::uint64_t value, const std::string& digits, bool written) {
        if (top_level()) {
            if (key_ == fields_.id) take(seen_id_, [&] { entry_.id = negative ? 0 : value; });
            text(digits, true);  // references are sometimes numbers: their text is what a client sends
        }
        return scalar(written);
    }
    void text(std::string_view value, bool is_number) {
        const std::pair<const std::string*, std::string*> texts[] = {{&fields_.reference, &reference_},
                                                                    {&fields_.name, &name_},
                                                                    {&fields_.last_name, &last_name_},
                                                                    {&fields_.company, &company_},
                                                                    {&fields_.email, &email_}};
        for (std::size_t i = 0; i < std::size(texts); ++i) {
            if (!texts[i].first->empty() && key_ == *texts[i].first) {
                take(seen_text_[i], [&] { texts[i].second->assign(value); });
            }
        }
        if (!is_number && !fields_.created.empty() && key_ == fields_.created) {
            take(seen_created_, [&] { entry_.created = detail::parse_billagain_date(value).value_or(0); });
        }
    }
    // Any other kind of value under a field's name still makes that name seen (FindMember
    // would have found it and read nothing from it).
    void mark_seen() {
        const auto mark = [&](const std::string& field, bool& seen) {
            if (!field.empty() && key_ == field) seen = true;
        };
        mark(fields_.id, seen_id_);
        mark(fields_.active, seen_active_);
        mark(fields_.suspended, seen_suspended_);
        mark(fields_.created, seen_created_);
        mark(fields_.reference, seen_text_[0]);
        mark(fields_.name, seen_text_[1]);
        mark(fields_.last_name, seen_text_[2]);
        mark(fields_.company, seen_text_[3]);
        mark(fields_.email, seen_text_[4]);
    }

    const record_fields& fields_;
    hashing_stream out_;
    rapidjson::Writer<hashing_stream>& writer_;
    customer_entry entry_;
    std::string key_;
    std::string reference_, name_, last_name_, company_, email_;
    int depth_ = 0;
    bool is_object_ = false;
    bool seen_id_ = false, seen_active_ = false, seen_suspended_ = false, seen_created_ = false;
    bool seen_text_[5] = {};
};

}  // namespace

record_reader::record_reader(record_fields fields) : fields_(std::move(fields)) {}

std::optional<customer_entry> record_reader::read_record(std::string_view json) const {
    // The parser's stack and the hashing writer's keep their memory per thread (Parse and
    // Reset clear them without freeing): made per record, each cost an allocation on every
    // GET. A read runs to its end on one thread, so one of each per thread is enough.
    thread_local rapidjson::Reader reader;
    thread_local hashing_stream no_stream_yet;
    thread_local rapidjson::Writer<hashing_stream> writer(no_stream_yet);
    record_scanner scanner(fields_, writer);
    rapidjson::MemoryStream ms(json.data(), json.size());
    if (reader.Parse<parse_flags>(ms, scanner).IsError()) return std::nullopt;
    return scanner.result();
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
