#include <test_support/http_corpus.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace blubridge::test_support {

namespace {

constexpr std::string_view expect_directive = "# expect ";
constexpr std::string_view auth_placeholder = "{AUTH}";

[[noreturn]] void malformed(const std::filesystem::path& file, const std::string& why) {
    throw std::runtime_error(file.string() + ": " + why);
}

// Decodes one line of request bytes (escapes and repetitions; {AUTH} stays).
std::string decode(const std::string& line, const std::filesystem::path& file) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '{' && line.compare(i, auth_placeholder.size(), auth_placeholder) != 0) {
            const auto colon = line.find(':', i), close = line.find('}', i);
            if (colon == std::string::npos || close != colon + 2) malformed(file, "bad {N:c} repetition");
            out.append(std::stoul(line.substr(i + 1, colon - i - 1)), line[colon + 1]);
            i = close;
        } else if (c == '\\' && i + 1 < line.size()) {
            const char e = line[++i];
            if (e == 'r') out += '\r';
            else if (e == 'n') out += '\n';
            else if (e == 't') out += '\t';
            else if (e == '\\') out += '\\';
            else if (e == 'x' && i + 2 < line.size()) {
                out += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
                i += 2;
            } else {
                malformed(file, std::string("unknown escape \\") + e);
            }
        } else {
            out += c;
        }
    }
    return out;
}

corpus_entry load_entry(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) malformed(file, "cannot be read");
    corpus_entry entry{file.stem().string(), {}, 0};
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(expect_directive, 0) == 0) {
            entry.expected_status = static_cast<unsigned>(std::stoul(line.substr(expect_directive.size())));
        } else if (!line.empty() && line.front() != '#') {
            entry.bytes += decode(line, file);
        }
    }
    if (entry.expected_status == 0) malformed(file, "no '# expect NNN' line");
    if (entry.bytes.empty()) malformed(file, "no request bytes");
    return entry;
}

}  // namespace

std::vector<corpus_entry> load_corpus(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(folder)) {
        if (item.path().extension() == ".http") files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<corpus_entry> entries;
    for (const auto& file : files) entries.push_back(load_entry(file));
    return entries;
}

std::string with_authorization(std::string bytes, const std::string& authorization_field) {
    for (auto at = bytes.find(auth_placeholder); at != std::string::npos;
         at = bytes.find(auth_placeholder, at + authorization_field.size())) {
        bytes.replace(at, auth_placeholder.size(), authorization_field);
    }
    return bytes;
}

}  // namespace blubridge::test_support
