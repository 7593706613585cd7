#pragma once
// Runs a command-line program to completion (for CLI tests): its exit code and output.
#include <string>
#include <vector>

namespace blubridge::test_support {

struct process_result {
    int exit_code = -1;
    std::string output;  ///< stdout and stderr, merged
};

/// Runs `exe args…` with `input` on its standard input and waits for it to exit. The
/// output goes to the leak capture (kind `log`, peer the executable's file name).
process_result run_process(const std::string& exe, const std::vector<std::string>& args,
                           const std::string& input = {});

}  // namespace blubridge::test_support
