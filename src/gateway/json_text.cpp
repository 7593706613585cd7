#include "json_text.hpp"

#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>

namespace blubridge::gateway::json {

namespace {

constexpr unsigned parse_flags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;

// Streams a JSON document and cuts its top-level container into raw slices, one per
// member (objects) or element (arrays).
class splitter : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, splitter> {
public:
    explicit splitter(bool want_object) : want_object_(want_object) {}

    bool StartObject() {
        if (depth_++ == 0) return want_object_;
        return writer_.StartObject();
    }
    bool EndObject(rapidjson::SizeType n) {
        if (--depth_ == 0) return true;
        writer_.EndObject(n);
        return value_done();
    }
    bool StartArray() {
        if (depth_++ == 0) return !want_object_;
        return writer_.StartArray();
    }
    bool EndArray(rapidjson::SizeType n) {
        if (--depth_ == 0) return true;
        writer_.EndArray(n);
        return value_done();
    }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        if (depth_ == 1) {
            key_.assign(s, n);
            return true;
        }
        return writer_.Key(s, n);
    }
    bool Null() { return depth_ > 0 && writer_.Null() && value_done(); }
    bool Bool(bool b) { return depth_ > 0 && writer_.Bool(b) && value_done(); }
    bool String(const char* s, rapidjson::SizeType n, bool) {
        return depth_ > 0 && writer_.String(s, n) && value_done();
    }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
        return depth_ > 0 && writer_.RawValue(s, n, rapidjson::kNumberType) && value_done();
    }

    std::vector<member> members;
    std::vector<std::string> elements;

private:
    bool value_done() {
        if (depth_ != 1) return true;
        std::string raw(buffer_.GetString(), buffer_.GetSize());
        if (want_object_) members.push_back({key_, std::move(raw)});
        else elements.push_back(std::move(raw));
        buffer_.Clear();
        writer_.Reset(buffer_);
        return true;
    }

    bool want_object_;
    int depth_ = 0;
    std::string key_;
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> writer_{buffer_};
};


// Streams an object only as far as its top-level member `name`: a record's id or flag is read
// without copying every member of the record first (the list paths read one per record).
class scalar_finder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, scalar_finder> {
public:
    explicit scalar_finder(std::string_view name) : name_(name) {}

    bool StartObject() { return nest(depth_ == 0); }
    bool EndObject(rapidjson::SizeType) { return --depth_, true; }
    bool StartArray() { return nest(false); }
    bool EndArray(rapidjson::SizeType) { return --depth_, true; }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        if (depth_ == 1) wanted_ = std::string_view(s, n) == name_;
        return true;
    }
    bool Null() { return scalar({}); }
    bool Bool(bool b) { return scalar(b ? "true" : "false"); }
    bool String(const char*, rapidjson::SizeType, bool) { return scalar({}); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return scalar(std::string_view(s, n)); }

    std::optional<std::string> value;

private:
    // Returning false stops the parse: at the member wanted, or when `object` is not an object.
    bool nest(bool is_root_object) {
        if (depth_ == 0 && !is_root_object) return false;
        if (depth_ == 1 && wanted_) return false;  // the member is an object or array
        ++depth_;
        return true;
    }
    bool scalar(std::string_view text) {
        if (depth_ == 0) return false;
        if (depth_ > 1 || !wanted_) return true;
        if (!text.empty()) value.emplace(text);
        return false;
    }

    std::string_view name_;
    int depth_ = 0;
    bool wanted_ = false;
};

// The raw text of a top-level number or boolean member; nullopt if absent or of another kind
// (an object or array value named `name` is stepped over, as `split_object` would keep it).
std::optional<std::string> top_level_scalar(std::string_view object, std::string_view name) {
    scalar_finder f(name);
    rapidjson::Reader reader;
    rapidjson::MemoryStream ms(object.data(), object.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    reader.Parse<parse_flags>(is, f);
    return std::move(f.value);
}

bool run(std::string_view text, splitter& s) {
    rapidjson::Reader reader;
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    return !reader.Parse<parse_flags>(is, s).IsError();
}

bool parse(std::string_view text, rapidjson::Document& doc) {
    doc.Parse<parse_flags>(text.data(), text.size());
    return !doc.HasParseError() && doc.IsObject();
}

}  // namespace

std::optional<std::vector<member>> split_object(std::string_view text) {
    splitter s(true);
    if (!run(text, s)) return std::nullopt;
    return std::move(s.members);
}

std::optional<std::vector<std::string>> split_array(std::string_view text) {
    splitter s(false);
    if (!run(text, s)) return std::nullopt;
    return std::move(s.elements);
}

std::string join_object(const std::vector<member>& members) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    for (const auto& m : members) {
        w.Key(m.name.data(), static_cast<rapidjson::SizeType>(m.name.size()));
        w.RawValue(m.raw.data(), m.raw.size(), rapidjson::kObjectType);
    }
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string join_array(const std::vector<std::string>& elements) {
    std::string out = "[";
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ',';
        out += elements[i];
    }
    return out + "]";
}

std::optional<std::string> with_members(std::string_view object, const std::vector<member>& changes) {
    auto members = split_object(object);
    if (!members) return std::nullopt;
    for (const auto& change : changes) {
        bool replaced = false;
        for (auto& m : *members) {
            if (m.name == change.name) {
                m.raw = change.raw;
                replaced = true;
            }
        }
        if (!replaced) members->push_back(change);
    }
    return join_object(*members);
}

std::optional<std::pair<std::string, std::optional<std::string>>> take_member(std::string_view object,
                                                                               std::string_view name) {
    auto members = split_object(object);
    if (!members) return std::nullopt;
    std::optional<std::string> taken;
    std::vector<member> kept;
    for (auto& m : *members) {
        if (m.name == name) taken = std::move(m.raw);
        else kept.push_back(std::move(m));
    }
    return std::pair{join_object(kept), std::move(taken)};
}

std::optional<std::string> string_member(std::string_view object, std::string_view name) {
    rapidjson::Document doc;
    if (!parse(object, doc)) return std::nullopt;
    const auto it = doc.FindMember(rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size())));
    if (it == doc.MemberEnd() || !it->value.IsString()) return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::vector<std::optional<std::string>> string_members(std::string_view object,
                                                       const std::vector<std::string_view>& names) {
    std::vector<std::optional<std::string>> values(names.size());
    rapidjson::Document doc;
    if (!parse(object, doc)) return values;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto& name = names[i];
        const auto it = doc.FindMember(rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size())));
        if (it != doc.MemberEnd() && it->value.IsString()) {
            values[i] = std::string(it->value.GetString(), it->value.GetStringLength());
        }
    }
    return values;
}

std::optional<bool> bool_member(std::string_view object, std::string_view name) {
    const auto raw = top_level_scalar(object, name);
    if (raw == "true") return true;
    if (raw == "false") return false;
    return std::nullopt;
}

std::optional<std::uint64_t> integer_member(std::string_view object, std::string_view name) {
    const auto raw = top_level_scalar(object, name);
    if (!raw) return std::nullopt;
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
    if (ec != std::errc{} || ptr != raw->data() + raw->size()) return std::nullopt;
    return value;
}

std::string quote(std::string_view text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace blubridge::gateway::json
