#include <test_support/child_process.hpp>
#include <test_support/leak_capture.hpp>

#include <boost/process/args.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/io.hpp>

#include <boost/url/parse.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace bp = boost::process;

namespace blubridge::test_support {

namespace {
constexpr std::string_view ready_marker = "listening on ";
}

child_process::child_process(std::string exe, std::vector<std::string> args,
                             std::chrono::milliseconds ready_timeout)
    : child_(bp::exe = exe, bp::args = args, (bp::std_out & bp::std_err) > out_),
      name_(std::filesystem::path(exe).filename().string()) {
    reader_ = std::thread([this] { read_output(); });

    std::unique_lock lock(mutex_);
    const bool ready = changed_.wait_for(lock, ready_timeout, [this] {
        return closed_ || output_.find(ready_marker) != std::string::npos;
    });
    const auto at = output_.find(ready_marker);
    if (!ready || at == std::string::npos) {
        const std::string seen = output_;
        lock.unlock();
        terminate();
        throw std::runtime_error(exe + " did not become ready; it printed:\n" + seen);
    }
    const auto start = at + ready_marker.size();
    const auto end = output_.find_first_of("\r\n", start);
    auto url = boost::urls::parse_uri(std::string_view(output_).substr(start, end - start));
    if (!url || !url->has_port()) {
        const std::string seen = output_;
        lock.unlock();
        terminate();
        throw std::runtime_error("unreadable ready line in: " + seen);
    }
    host_ = std::string(url->host());
    port_ = url->port_number();
}

child_process::~child_process() {
    try {
        if (child_.running()) terminate();
    } catch (...) {
    }
    if (child_.valid() && child_.running()) child_.terminate();
    if (reader_.joinable()) reader_.join();
    try {
        capture_output();  // a process that ended on its own was never waited for
    } catch (const std::exception& e) {
        std::cerr << e.what() << '\n';
    }
}

void child_process::capture_output() {
    if (captured_) return;
    captured_ = true;
    leak_capture::append(leak_capture::log, name_, name_ + " pid " + std::to_string(child_.id()), output());
}

void child_process::read_output() {
    std::string line;
    while (std::getline(out_, line)) {
        std::lock_guard lock(mutex_);
        output_ += line;
        output_ += '\n';
        changed_.notify_all();
    }
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
}

int child_process::terminate() {
    if (child_.running()) ::kill(child_.id(), SIGTERM);
    return wait();
}

void child_process::signal(int number) {
    if (child_.running()) ::kill(child_.id(), number);
}

int child_process::wait() {
    std::error_code ec;
    child_.wait(ec);
    if (reader_.joinable()) reader_.join();
    capture_output();
    const int native = child_.native_exit_code();
    if (WIFSIGNALED(native)) return 128 + WTERMSIG(native);
    return child_.exit_code();
}

bool child_process::running() {
    std::error_code ec;
    return child_.running(ec);
}

std::string child_process::output() const {
    std::lock_guard lock(mutex_);
    return output_;
}

bool child_process::wait_for_output(const std::string& needle,
                                    std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
        return output_.find(needle) != std::string::npos;
    });
}

std::string required_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        throw std::runtime_error(std::string("environment variable ") + name + " is not set");
    }
    return value;
}

}  // namespace blubridge::test_support
