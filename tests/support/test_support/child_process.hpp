#pragma once
// A program under test, started as a real child process on loopback.
#include <boost/process/child.hpp>
#include <boost/process/pipe.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace blubridge::test_support {

/// Starts `exe args…`, collects its stdout and stderr (merged) on a reader thread, and
/// waits until it prints a line containing `listening on http://HOST:PORT`.
/// Throws std::runtime_error (with everything the program printed) if the program exits
/// or stays silent for `ready_timeout` first. The destructor kills a running child.
/// When the process has ended, its output goes to the leak capture (kind `log`, peer the
/// executable's file name; test_support/leak_capture.hpp) once.
class child_process {
public:
    child_process(std::string exe, std::vector<std::string> args,
                  std::chrono::milliseconds ready_timeout = std::chrono::seconds(30));
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    const std::string& host() const { return host_; }
    unsigned short port() const { return port_; }

    /// Sends SIGTERM and waits for the exit; returns the exit code (128+signal if killed).
    int terminate();

    /// Sends signal `number` (SIGHUP: a reload) if the process runs; does not wait.
    void signal(int number);

    /// Waits for the process to exit on its own; returns its exit code.
    int wait();

    bool running();

    /// Everything the process has written to stdout and stderr so far.
    std::string output() const;

    /// Waits until the output contains `needle`; false after `timeout`.
    bool wait_for_output(const std::string& needle,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

private:
    void read_output();
    void capture_output();

    boost::process::ipstream out_;
    boost::process::child child_;
    std::thread reader_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::string output_;
    bool closed_ = false;
    std::string host_;
    unsigned short port_ = 0;
    std::string name_;
    bool captured_ = false;
};

/// The value of environment variable `name`; throws if it is not set (CMake passes the
/// paths of the executables under test this way).
std::string required_env(const char* name);

}  // namespace blubridge::test_support
