#pragma once
// Helpers shared by the sandbox tests: the seed documents' examples (copied verbatim into
// seed_examples/) and a comparison of JSON shapes — member names in order, and types.
#include <sandbox/json_value.hpp>

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sandbox_test {

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot read " << path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// tests/sandbox/seed_examples/<name>.json, a request or response copied from the seeds.
inline std::string seed(const std::string& name) { return read_file(std::string(SANDBOX_SEED_DIR) + "/" + name + ".json"); }

inline std::string fixture_text() { return read_file(SANDBOX_FIXTURE); }

inline blubridge::sandbox::json_value parse(const std::string& text) {
    blubridge::sandbox::json_parse_error e;
    auto v = blubridge::sandbox::parse_json(text, e);
    BOOST_TEST_REQUIRE(v.has_value(), "not JSON (" << e.message << "): " << text.substr(0, 300));
    return std::move(*v);
}

inline std::vector<std::string> member_names(const blubridge::sandbox::json_value& v) {
    std::vector<std::string> names;
    for (const auto& m : v.members()) names.push_back(m.first);
    return names;
}

/// Differences between the shape of `expected` (a seed example) and `actual`: objects must
/// have the same members in the same order; arrays are compared element-wise against the
/// seed's first element; scalars must have the same JSON type unless either is null.
inline void shape_diff(const blubridge::sandbox::json_value& expected, const blubridge::sandbox::json_value& actual,
                       const std::string& path, std::vector<std::string>& out) {
    using kind = blubridge::sandbox::json_value::kind;
    if (expected.is_null() || actual.is_null()) return;
    if (expected.type() != actual.type()) {
        out.push_back(path + ": type differs");
        return;
    }
    if (expected.type() == kind::object) {
        const auto en = member_names(expected);
        const auto an = member_names(actual);
        if (en != an) {
            std::string e, a;
            for (const auto& n : en) e += n + ",";
            for (const auto& n : an) a += n + ",";
            out.push_back(path + ": members differ\n  seed:   " + e + "\n  actual: " + a);
            return;
        }
        for (std::size_t i = 0; i < en.size(); ++i)
            shape_diff(expected.members()[i].second, actual.members()[i].second, path + "." + en[i], out);
    } else if (expected.type() == kind::array && !expected.items().empty()) {
        for (std::size_t i = 0; i < actual.items().size(); ++i)
            shape_diff(expected.items()[std::min(i, expected.items().size() - 1)], actual.items()[i],
                       path + "[" + std::to_string(i) + "]", out);
    }
}

/// Checks that `actual_text` has the shape of seed example `seed_name`.
inline void check_seed_shape(const std::string& seed_name, const std::string& actual_text) {
    const auto expected = parse(seed(seed_name));
    const auto actual = parse(actual_text);
    std::vector<std::string> diffs;
    shape_diff(expected, actual, seed_name, diffs);
    for (const auto& d : diffs) BOOST_ERROR(d);
}

}  // namespace sandbox_test
