#pragma once
// RapidJSON Writer straight into a std::string, plus the few value shapes Billagain
// documents use (nullable strings, raw decimal text, dates).
#include "billagain_date.hpp"

#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::sandbox {

/// RapidJSON output stream appending to a caller-owned string (no intermediate buffer).
class string_sink {
public:
    using Ch = char;
    explicit string_sink(std::string& out) : out_(&out) {}
    void Put(char c) { out_->push_back(c); }
    void Flush() {}

private:
    std::string* out_;
};

/// Compact JSON writer over a string_sink with convenience members for Billagain values.
class json_writer {
public:
    explicit json_writer(std::string& out) : sink_(out), w_(sink_) {}

    void start_object() { w_.StartObject(); }
    void end_object() { w_.EndObject(); }
    void start_array() { w_.StartArray(); }
    void end_array() { w_.EndArray(); }
    void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }

    void null() { w_.Null(); }
    void boolean(bool b) { w_.Bool(b); }
    void integer(std::int64_t v) { w_.Int64(v); }
    void string(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
    /// Writes already-valid number text verbatim (money keeps its digits: 500.5000).
    void raw_number(std::string_view text) {
        w_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
    }
    void date(const billagain_time& t) {
        scratch_.clear();
        append_billagain_time(scratch_, t);
        string(scratch_);
    }

    void string_or_null(const std::optional<std::string>& s) { s ? string(*s) : null(); }
    void integer_or_null(const std::optional<std::int64_t>& v) { v ? integer(*v) : null(); }
    void date_or_null(const std::optional<billagain_time>& t) { t ? date(*t) : null(); }

    // "key": value in one call, the form nearly every field takes.
    void field(std::string_view k, std::string_view v) { key(k); string(v); }
    void field(std::string_view k, const std::string& v) { key(k); string(v); }
    // Without this a string literal would pick the bool overload.
    void field(std::string_view k, const char* v) { key(k); string(v); }
    void field(std::string_view k, const std::optional<std::string>& v) { key(k); string_or_null(v); }
    void field(std::string_view k, bool v) { key(k); boolean(v); }
    void field(std::string_view k, std::int64_t v) { key(k); integer(v); }
    void field(std::string_view k, int v) { key(k); integer(v); }
    void field(std::string_view k, const std::optional<std::int64_t>& v) { key(k); integer_or_null(v); }
    void field(std::string_view k, const billagain_time& v) { key(k); date(v); }
    void field(std::string_view k, const std::optional<billagain_time>& v) { key(k); date_or_null(v); }
    void null_field(std::string_view k) { key(k); null(); }

private:
    string_sink sink_;
    rapidjson::Writer<string_sink> w_;
    std::string scratch_;
};

}  // namespace blubridge::sandbox
