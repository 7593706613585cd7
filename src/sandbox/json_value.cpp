#include "json_value.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>

namespace blubridge::sandbox {

json_value json_value::make_bool(bool b) {
    json_value v;
    v.kind_ = kind::boolean;
    v.bool_ = b;
    return v;
}
json_value json_value::make_number(std::string text) {
    json_value v;
    v.kind_ = kind::number;
    v.text_ = std::move(text);
    return v;
}
json_value json_value::make_string(std::string text) {
    json_value v;
    v.kind_ = kind::string;
    v.text_ = std::move(text);
    return v;
}
json_value json_value::make_array() {
    json_value v;
    v.kind_ = kind::array;
    return v;
}
json_value json_value::make_object() {
    json_value v;
    v.kind_ = kind::object;
    return v;
}

const json_value* json_value::find(std::string_view name) const {
    for (const auto& m : members_)
        if (m.first == name) return &m.second;
    return nullptr;
}

namespace {

constexpr std::size_t max_depth = 64;

// SAX handler that builds json_value trees on an explicit stack.
class builder {
public:
    bool Null() { return add(json_value{}); }
    bool Bool(bool b) { return add(json_value::make_bool(b)); }
    // With kParseNumbersAsStringsFlag every number arrives here as text.
    bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return add(json_value::make_number(std::string(s, n))); }
    bool Int(int) { return false; }
    bool Uint(unsigned) { return false; }
    bool Int64(std::int64_t) { return false; }
    bool Uint64(std::uint64_t) { return false; }
    bool Double(double) { return false; }
    bool String(const char* s, rapidjson::SizeType n, bool) { return add(json_value::make_string(std::string(s, n))); }
    bool StartObject() { return open(json_value::make_object()); }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        key_ = std::string(s, n);
        return true;
    }
    bool EndObject(rapidjson::SizeType) { return close(); }
    bool StartArray() { return open(json_value::make_array()); }
    bool EndArray(rapidjson::SizeType) { return close(); }

    json_value take() { return std::move(root_); }
    bool too_deep() const { return too_deep_; }

private:
    bool add(json_value v) {
        if (stack_.empty()) {
            root_ = std::move(v);
            return true;
        }
        json_value& top = *stack_.back();
        if (top.is_array()) {
            top.items().push_back(std::move(v));
        } else {
            top.members().emplace_back(std::move(key_), std::move(v));
        }
        return true;
    }
    bool open(json_value v) {
        if (stack_.size() >= max_depth) {
            too_deep_ = true;
            return false;
        }
        json_value* slot = nullptr;
        if (stack_.empty()) {
            root_ = std::move(v);
            slot = &root_;
        } else {
            json_value& top = *stack_.back();
            if (top.is_array()) {
                top.items().push_back(std::move(v));
                slot = &top.items().back();
            } else {
                top.members().emplace_back(std::move(key_), std::move(v));
                slot = &top.members().back().second;
            }
        }
        // Pointers stay valid: a container only grows while it is the top of the stack.
        stack_.push_back(slot);
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }

    json_value root_;
    std::vector<json_value*> stack_;
    std::string key_;
    bool too_deep_ = false;
};

}  // namespace

std::optional<json_value> parse_json(std::string_view text, json_parse_error& error) {
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::Reader reader;
    builder b;
    constexpr unsigned flags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseStopWhenDoneFlag |
                               rapidjson::kParseValidateEncodingFlag;
    const auto r = reader.Parse<flags>(ms, b);
    if (r.IsError()) {
        error.offset = r.Offset();
        error.message = b.too_deep() ? "nesting too deep" : rapidjson::GetParseError_En(r.Code());
        return std::nullopt;
    }
    // kParseStopWhenDoneFlag lets us reject trailing garbage ourselves, allowing whitespace.
    for (std::size_t i = ms.Tell(); i < text.size(); ++i) {
        const char c = text[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            error.offset = i;
            error.message = "The document root must not be followed by other values.";
            return std::nullopt;
        }
    }
    return b.take();
}

bool integer_from_text(std::string_view text, std::int64_t& out) {
    if (text.empty()) return false;
    const auto* first = text.data();
    const auto* last = text.data() + text.size();
    const auto r = std::from_chars(first, last, out);
    return r.ec == std::errc{} && r.ptr == last;
}

}  // namespace blubridge::sandbox
