#include <blubridge/mapping/mapping_set.hpp>

#include "detail/set_storage.hpp"

#include <blubridge/mapping/safe_xml.hpp>

#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>

namespace blubridge::mapping {

mapping_set::mapping_set(std::unique_ptr<storage> s) noexcept : storage_(std::move(s)) {}

mapping_set::~mapping_set() = default;

const dto_mapping* mapping_set::find(std::string_view name) const noexcept
{
    for (const auto& m : storage_->named)
        if (m->name() == name) return m.get();
    return nullptr;
}

std::vector<std::string_view> mapping_set::names() const
{
    std::vector<std::string_view> out;
    for (const auto& m : storage_->named) out.push_back(m->name());
    return out;
}

namespace {

bool contains(const std::vector<std::string>& sorted, std::string_view name)
{
    return std::binary_search(sorted.begin(), sorted.end(), name,
                              [](std::string_view a, std::string_view b) { return a < b; });
}

// SAX filter: copies JSON through, replacing the value of every secret member with "***".
// Numbers stay raw text, so the log shows exactly what crossed the wire.
struct redacting_handler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, redacting_handler> {
    rapidjson::Writer<rapidjson::StringBuffer>& w;
    const std::vector<std::string>& names;
    int skip = 0;
    bool redact_next = false;

    redacting_handler(rapidjson::Writer<rapidjson::StringBuffer>& writer, const std::vector<std::string>& n)
        : w(writer), names(n)
    {
    }

    // Returns true when the value was consumed by redaction.
    bool redacted()
    {
        if (skip > 0) return true;
        if (!redact_next) return false;
        redact_next = false;
        w.String("***");
        return true;
    }
    bool Null()
    {
        if (skip > 0) return true;
        redact_next = false;
        return w.Null();
    }
    bool Bool(bool b) { return redacted() || w.Bool(b); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool)
    {
        return redacted() || w.RawValue(s, n, rapidjson::kNumberType);
    }
    bool String(const char* s, rapidjson::SizeType n, bool) { return redacted() || w.String(s, n); }
    bool StartObject() { return open() || w.StartObject(); }
    bool StartArray() { return open() || w.StartArray(); }
    bool EndObject(rapidjson::SizeType) { return close() || w.EndObject(); }
    bool EndArray(rapidjson::SizeType) { return close() || w.EndArray(); }
    bool Key(const char* s, rapidjson::SizeType n, bool)
    {
        if (skip > 0) return true;
        redact_next = contains(names, std::string_view(s, n));
        return w.Key(s, n);
    }
    bool open()
    {
        if (skip > 0) {
            ++skip;
            return true;
        }
        if (!redact_next) return false;
        redact_next = false;
        w.String("***");
        skip = 1;
        return true;
    }
    bool close()
    {
        if (skip == 0) return false;
        --skip;
        return true;
    }
};

} // namespace

std::string mapping_set::redact_xml(std::string_view xml) const
{
    pugi::xml_document doc;
    conversion_report report;
    if (parse_xml(xml, doc, report))
        return "[unparseable XML, " + std::to_string(xml.size()) + " bytes]";
    // parse_xml bounded the depth, so this recursion is bounded too.
    struct walker {
        const std::vector<std::string>& names;
        void run(pugi::xml_node n)
        {
            for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute())
                if (contains(names, a.name())) a.set_value("***");
            if (contains(names, n.name())) {
                while (n.first_child()) n.remove_child(n.first_child());
                n.append_child(pugi::node_pcdata).set_value("***");
                return;
            }
            for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
                if (c.type() == pugi::node_element) run(c);
        }
    } w{storage_->secret_xml_names};
    w.run(doc.document_element());
    std::string out;
    write_xml(doc, out);
    return out;
}

bool mapping_set::is_secret_xml_name(std::string_view name) const
{
    const auto same = [name](const std::string& secret) {
        return secret.size() == name.size() &&
               std::equal(secret.begin(), secret.end(), name.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
               });
    };
    const auto& names = storage_->secret_xml_names;
    return std::any_of(names.begin(), names.end(), same);
}

std::string mapping_set::redact_json(std::string_view json) const
{
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    redacting_handler handler(writer, storage_->secret_json_names);
    rapidjson::Reader reader;
    rapidjson::MemoryStream ms(json.data(), json.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    if (!reader.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag>(is, handler))
        return "[unparseable JSON, " + std::to_string(json.size()) + " bytes]";
    return std::string(buffer.GetString(), buffer.GetSize());
}

} // namespace blubridge::mapping
