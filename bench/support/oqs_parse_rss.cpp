// Peak memory of reading one OQS answer file into QualificationResults (docs/performance.md, "OQS
// file interface"): reads the file given as argv[1] (argv[2]: the message kind, e.g. OQSmuquc02res),
// notes VmRSS, parses it the way the kiosk's inbox does (parse_message, then one QualificationResult a
// unit), and prints {"file_mb", "rss_before_mb", "peak_mb", "growth_mb", "growth_per_file_byte"}: the
// growth is the high-water mark (VmHWM) minus the resident size before the parse, so the caller's copy
// of the bytes is not counted, everything the parse allocates and keeps or frees on the way is.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/oqs/messages.hpp"
#include "core/oqs/result.hpp"

namespace {
double status_mb(const char* key) {  // a "VmRSS:  1234 kB" line of /proc/self/status, in MB
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::stod(line.substr(line.find(':') + 1)) / 1024.0;
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    using namespace onshi::oqs;
    if (argc < 3) return 2;
    std::ifstream in(argv[1], std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const auto kind = kind_from_file_name(std::string(argv[2]) + "_x.xml");
    if (!kind || bytes.empty()) return 2;
    // Reset the high-water mark to the present resident size (Linux: 5 to clear_refs).
    { std::ofstream("/proc/self/clear_refs") << "5"; }
    const double before = status_mb("VmRSS:");
    const std::vector<QualificationResult> results = unit_results(parse_message(bytes, *kind));
    const double peak = status_mb("VmHWM:");
    const double file_mb = double(bytes.size()) / (1024.0 * 1024.0);
    std::printf(
        "{\"file_mb\":%.2f,\"rss_before_mb\":%.1f,\"peak_mb\":%.1f,\"growth_mb\":%.1f,"
        "\"growth_per_file_byte\":%.2f,\"results\":%zu}\n",
        file_mb, before, peak, peak - before, (peak - before) / file_mb, results.size());
    return 0;
}
