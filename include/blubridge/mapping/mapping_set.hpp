#ifndef BLUBRIDGE_MAPPING_MAPPING_SET_HPP
#define BLUBRIDGE_MAPPING_MAPPING_SET_HPP

// The whole compiled mapping configuration, loaded once and shared immutably.

#include <blubridge/mapping/dto_mapping.hpp>
#include <blubridge/mapping/load_problem.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blubridge::mapping {

/// Every mapping of a directory, compiled. Built only by `load_mappings`; held as
/// `std::shared_ptr<const mapping_set>` so the gateway can swap in a new set (on SIGHUP)
/// while requests still running keep the old one alive. No global state.
class mapping_set {
public:
    mapping_set(const mapping_set&) = delete;
    mapping_set& operator=(const mapping_set&) = delete;
    ~mapping_set();

    /// The mapping named `name`, or nullptr. A linear scan: resolve once per set, not per
    /// field.
    const dto_mapping* find(std::string_view name) const noexcept;

    /// The names of all mappings, in load order.
    std::vector<std::string_view> names() const;

    /// A copy of `xml` safe for a log line: the text of every element and attribute that
    /// any mapping declares secret, or that the set's `never_outward` lists name, is `***`,
    /// at any depth. Unparseable input is not echoed: the result is then a short note
    /// with its size.
    std::string redact_xml(std::string_view xml) const;

    /// Whether any mapping declares an XML element or attribute of this name secret, in any
    /// letter case (a query parameter named so is masked in log lines).
    bool is_secret_xml_name(std::string_view name) const;

    /// As `redact_xml` for JSON: secret members (by name, at any depth) become `"***"`.
    std::string redact_json(std::string_view json) const;

private:
    struct storage;
    friend class set_builder;
    explicit mapping_set(std::unique_ptr<storage> s) noexcept;
    std::unique_ptr<storage> storage_;
};

/// Loads every `*.yaml` file of `dir` (sorted by name), validates and compiles them.
/// Throws `load_error` listing every problem found (not just the first) when anything is
/// wrong: a bad set is refused as a whole, nothing half-loaded is returned.
std::shared_ptr<const mapping_set> load_mappings(const std::filesystem::path& dir);

/// As `load_mappings` from in-memory files: pairs of (name for messages, YAML text).
std::shared_ptr<const mapping_set>
load_mappings(const std::vector<std::pair<std::string, std::string>>& files);

/// Validates `dir` as `load_mappings` would and returns every problem; empty means valid.
/// Never throws except std::bad_alloc. For `blubridge --check-config`.
std::vector<load_problem> check_mappings(const std::filesystem::path& dir);

} // namespace blubridge::mapping

#endif
