#include <test_support/leak_capture.hpp>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace blubridge::test_support::leak_capture {

namespace {

// The test executable's name, so the scan can tell which tests contributed.
std::string program_name() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("unknown") : exe.filename().string();
}

std::mutex& file_mutex() {
    static std::mutex m;
    return m;
}

}  // namespace

std::optional<std::filesystem::path> folder() {
    const char* value = std::getenv("BLUBRIDGE_LEAK_DIR");
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::filesystem::path(value);
}

void append(std::string_view kind, std::string_view peer, std::string_view title, std::string_view text) {
    const auto dir = folder();
    if (!dir) return;
    static const std::string program = program_name();
    const auto file = *dir / (program + "." + std::to_string(::getpid()) + "." + std::string(kind) + "." +
                              std::string(peer) + ".txt");
    std::lock_guard lock(file_mutex());
    std::filesystem::create_directories(*dir);
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << record_marker << title << '\n' << text << '\n';
    out.flush();
    if (!out) throw std::runtime_error("leak capture: cannot write " + file.string());
}

}  // namespace blubridge::test_support::leak_capture
