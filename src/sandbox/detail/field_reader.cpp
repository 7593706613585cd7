#include "field_reader.hpp"

namespace blubridge::sandbox::detail {

field_reader::field_reader(const json_value& object, std::string path)
    : object_(&object), path_(std::move(path)) {
    if (!object.is_object()) {
        fail(bad_request(path_.empty() ? std::string("The request body must be a JSON object.")
                                       : "The " + path_ + " member must be a JSON object."));
    }
}

const json_value* field_reader::get(std::string_view name) const {
    const json_value* v = object_->is_object() ? object_->find(name) : nullptr;
    return (v && !v->is_null()) ? v : nullptr;
}

bool field_reader::has(std::string_view name) const { return get(name) != nullptr; }

std::string field_reader::path_of(std::string_view name) const {
    if (path_.empty()) return std::string(name);
    std::string p = path_;
    p += '.';
    p += name;
    return p;
}

namespace {
std::string shown(const json_value& v) {
    switch (v.type()) {
    case json_value::kind::null: return "null";
    case json_value::kind::boolean: return v.as_bool() ? "true" : "false";
    case json_value::kind::array: return "[...]";
    case json_value::kind::object: return "{...}";
    default: return v.text();
    }
}
}  // namespace

opt_string field_reader::optional_string(std::string_view name) {
    const json_value* v = get(name);
    if (!v) return std::nullopt;
    if (v->is_string() || v->is_number()) return v->text();
    fail(field_invalid(path_of(name), shown(*v)));
    return std::nullopt;
}

std::string field_reader::required_string(std::string_view name) {
    if (!has(name)) {
        fail(field_required(path_of(name)));
        return {};
    }
    auto s = optional_string(name);
    if (s && s->empty()) fail(field_required(path_of(name)));
    return s.value_or(std::string{});
}

bool field_reader::optional_bool(std::string_view name, bool fallback) {
    const json_value* v = get(name);
    if (!v) return fallback;
    if (v->is_bool()) return v->as_bool();
    fail(field_invalid(path_of(name), shown(*v)));
    return fallback;
}

bool field_reader::required_bool(std::string_view name) {
    if (!has(name)) {
        fail(field_required(path_of(name)));
        return false;
    }
    return optional_bool(name);
}

opt_int field_reader::optional_int(std::string_view name) {
    const json_value* v = get(name);
    if (!v) return std::nullopt;
    std::int64_t n = 0;
    if ((v->is_number() || v->is_string()) && integer_from_text(v->text(), n)) return n;
    fail(field_invalid(path_of(name), shown(*v)));
    return std::nullopt;
}

std::int64_t field_reader::required_int(std::string_view name) {
    if (!has(name)) {
        fail(field_required(path_of(name)));
        return 0;
    }
    return optional_int(name).value_or(0);
}

opt_time field_reader::optional_date(std::string_view name) {
    const json_value* v = get(name);
    if (!v) return std::nullopt;
    if (v->is_string()) {
        if (auto t = parse_billagain_time(v->text())) return t;
    }
    fail(field_invalid(path_of(name), shown(*v)));
    return std::nullopt;
}

billagain_time field_reader::required_date(std::string_view name) {
    if (!has(name)) {
        fail(field_required(path_of(name)));
        return {};
    }
    return optional_date(name).value_or(billagain_time{});
}

raw_scalar field_reader::optional_raw_scalar(std::string_view name) {
    const json_value* v = get(name);
    if (!v) return {};
    if (v->is_string()) return {raw_scalar::kind::string, v->text()};
    if (v->is_number()) return {raw_scalar::kind::number, v->text()};
    fail(field_invalid(path_of(name), shown(*v)));
    return {};
}

}  // namespace blubridge::sandbox::detail
