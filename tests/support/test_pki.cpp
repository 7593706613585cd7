#include <test_support/child_process.hpp>
#include <test_support/run_process.hpp>
#include <test_support/test_pki.hpp>

#include <stdexcept>

namespace blubridge::test_support {

test_pki make_test_pki(const std::filesystem::path& dir) {
    const auto made = run_process(required_env("MAKE_TEST_PKI"), {dir.string()});
    if (made.exit_code != 0) throw std::runtime_error("make_test_pki.sh failed:\n" + made.output);
    return test_pki{dir};
}

}  // namespace blubridge::test_support
