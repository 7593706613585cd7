#include <test_support/leak_capture.hpp>
#include <test_support/run_process.hpp>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>

#include <filesystem>
#include <iterator>
#include <thread>

namespace bp = boost::process;

namespace blubridge::test_support {

process_result run_process(const std::string& exe, const std::vector<std::string>& args,
                           const std::string& input) {
    bp::ipstream out;
    bp::opstream in;
    bp::child child(bp::exe = exe, bp::args = args, (bp::std_out & bp::std_err) > out, bp::std_in < in);
    // Feed and drain on separate threads so neither pipe can fill up and block the child.
    std::thread writer([&] {
        in << input;
        in.flush();
        in.pipe().close();
    });
    process_result result;
    result.output.assign(std::istreambuf_iterator<char>(out), {});
    writer.join();
    child.wait();
    result.exit_code = child.exit_code();
    const auto name = std::filesystem::path(exe).filename().string();
    leak_capture::append(leak_capture::log, name, name + " pid " + std::to_string(child.id()), result.output);
    return result;
}

}  // namespace blubridge::test_support
