#pragma once
// A Billagain answer parsed once per request: the reference check, the customer graph and
// the mapping engine all read the same tree instead of parsing the text again each.
#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::gateway::json {

/// A JSON document with its own allocator, parsed as the mapping engine reads JSON:
/// UTF-8 validated, numbers kept as their text (500.5000 stays 500.5000). Values of one
/// tree may be moved into another (`adopt`) as long as the first outlives the second.
class tree {
public:
    using value = rapidjson::Value;

    /// `text` parsed; nullopt if it is not valid JSON.
    static std::optional<tree> parse(std::string_view text);

    value& root() { return doc_->doc; }
    const value& root() const { return doc_->doc; }

    /// A top-level string member of the root object (a number gives its text), as
    /// json::string_member reads one; nullopt if absent, of another kind, or the root is
    /// not an object.
    std::optional<std::string_view> string_member(std::string_view name) const;

    /// A member of the root object, or null.
    const value* member(std::string_view name) const;

    /// Sets the root object's member `name` to `v` (moved: `v` is left null), replacing
    /// a member of that name. `v`'s storage stays where it was allocated (another tree
    /// that must outlive this one). False if the root is not an object.
    bool adopt(std::string_view name, value& v);
    /// Sets member `name` of `object` (the root or an object inside this tree) to `text`
    /// parsed into this tree; false if `text` is not JSON or `object` not an object.
    bool set_parsed(value& object, std::string_view name, std::string_view text);
    /// Sets the root object's member `name` to true.
    bool set_true(std::string_view name);

private:
    struct storage {
        rapidjson::MemoryPoolAllocator<> values;
        rapidjson::Document doc;
        storage();
    };
    explicit tree(std::unique_ptr<storage> s) : doc_(std::move(s)) {}
    value& slot(value& object, std::string_view name);  // `object` is an object of this tree

    std::unique_ptr<storage> doc_;  // stable address: values point into its allocator
};

/// `v` written as compact JSON text. Numbers read as text come out as JSON strings, which
/// the mapping engine reads exactly as it reads the numbers (it keeps both as text).
std::string write(const tree::value& v);

}  // namespace blubridge::gateway::json
