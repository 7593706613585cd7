#pragma once
// Billagain customer records (JSON) read into directory entries.
#include <blubridge/directory/customer_directory.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace blubridge::directory {

/// Keeps only the members named in record_fields; nothing else of a record survives
/// reading except its fingerprint.
///
/// - id: a JSON integer >= 1, else the record is unreadable.
/// - reference, name, last name, company, email: a string, or an integer's text;
///   anything else (absent, null, …) is empty.
/// - active, suspended: JSON booleans; anything else is false.
/// - created: Billagain's date text (see detail::parse_billagain_date); 0 when absent,
///   null or unreadable.
/// - fingerprint: FNV-1a of the record written back as compact JSON, so it changes with
///   any member's value (or member order) and not with whitespace, and a record reads the
///   same alone or inside a page.
/// - updated: left 0 (the directory decides it).
class record_reader {
public:
    explicit record_reader(record_fields fields);

    /// One record: a JSON object. nullopt when it is not one or has no id.
    std::optional<customer_entry> read_record(std::string_view json) const;
    /// A page: a JSON array of records. nullopt when it is not an array or any element is
    /// unreadable.
    std::optional<std::vector<customer_entry>> read_page(std::string_view json) const;

private:
    record_fields fields_;
};

}  // namespace blubridge::directory
