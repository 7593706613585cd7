#ifndef BLUBRIDGE_MAPPING_LOAD_PROBLEM_HPP
#define BLUBRIDGE_MAPPING_LOAD_PROBLEM_HPP

#include <stdexcept>
#include <string>
#include <vector>

namespace blubridge::mapping {

/// One problem in the mapping files, located by yaml-cpp's marks (1-based; 0 when the
/// problem concerns a whole file).
struct load_problem {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;

    /// `file:line:column: message`, the form compilers use so editors can jump to it.
    std::string to_string() const;
};

/// Thrown by `load_mappings` when the set is invalid; `what()` lists every problem,
/// one per line.
class load_error : public std::runtime_error {
public:
    explicit load_error(std::vector<load_problem> problems);
    const std::vector<load_problem>& problems() const noexcept { return problems_; }

private:
    std::vector<load_problem> problems_;
};

} // namespace blubridge::mapping

#endif
