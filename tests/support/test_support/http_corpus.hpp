#pragma once
// The malformed-request corpus (tests/http/corpus/*.http): raw requests written readably.
//
// Format: lines starting with `#` are comments, and `# expect NNN` names the status the
// server must answer. Every other line is request bytes with its line break ignored, so a
// request can be laid out over several lines; inside them `\r`, `\n`, `\t`, `\\` and `\xHH`
// are escapes, `{N:c}` is N copies of the character c and `{AUTH}` is replaced by an
// Authorization field (or nothing) for the server under test.
#include <filesystem>
#include <string>
#include <vector>

namespace blubridge::test_support {

struct corpus_entry {
    std::string name;       ///< file name without extension
    std::string bytes;      ///< exactly what is sent, `{AUTH}` still in place
    unsigned expected_status = 0;
};

/// Every `*.http` file of `folder`, in name order. Throws on a malformed file.
std::vector<corpus_entry> load_corpus(const std::filesystem::path& folder);

/// `bytes` with each `{AUTH}` replaced by `authorization_field` (a whole `Name: value\r\n`
/// line, or empty).
std::string with_authorization(std::string bytes, const std::string& authorization_field);

}  // namespace blubridge::test_support
