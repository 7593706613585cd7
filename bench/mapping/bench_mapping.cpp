// Per-request cost of the mapping engine on the seed's sample documents.
// Run from a release build: build/mapping-release/bench/mapping/mapping_bench

#include <blubridge/mapping/mapping_set.hpp>

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

namespace {

std::string read(const std::string& name)
{
    std::ifstream in(std::string(BLUBRIDGE_TEST_DATA_DIR) + "/" + name, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const blubridge::mapping::mapping_set& set()
{
    static const auto s = blubridge::mapping::load_mappings(BLUBRIDGE_MAPPINGS_DIR);
    return *s;
}

// The seed's "Create a new Customer" POST body → the Billagain create JSON.
void customer_post_xml_to_json(benchmark::State& state)
{
    const auto& m = *set().find("customer");
    const std::string xml = read("customer_post.xml");
    std::string json;
    blubridge::mapping::conversion_report report;
    for (auto _ : state) {
        report.clear();
        if (m.to_json(xml, json, report)) state.SkipWithError("conversion failed");
        benchmark::DoNotOptimize(json.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
}
BENCHMARK(customer_post_xml_to_json);

// The seed's Billagain customer (GET /v1/customers/{id}) → BluBilling customer XML.
void customer_json_to_xml(benchmark::State& state)
{
    const auto& m = *set().find("customer");
    const std::string json = read("customer_get.json");
    std::string xml;
    blubridge::mapping::conversion_report report;
    for (auto _ : state) {
        report.clear();
        if (m.to_xml(json, xml, report)) state.SkipWithError("conversion failed");
        benchmark::DoNotOptimize(xml.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(customer_json_to_xml);

// The seed's customer list (two customers) → <list>.
void customer_list_json_to_xml(benchmark::State& state)
{
    const auto& m = *set().find("customer_list");
    const std::string json = read("customers_list.json");
    std::string xml;
    blubridge::mapping::conversion_report report;
    for (auto _ : state) {
        report.clear();
        if (m.to_xml(json, xml, report)) state.SkipWithError("conversion failed");
        benchmark::DoNotOptimize(xml.data());
    }
}
BENCHMARK(customer_list_json_to_xml);

// Start-up cost: loading and compiling every default mapping.
void load_default_mappings(benchmark::State& state)
{
    for (auto _ : state) benchmark::DoNotOptimize(blubridge::mapping::load_mappings(BLUBRIDGE_MAPPINGS_DIR));
}
BENCHMARK(load_default_mappings)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
