// flow_doc: docs/flow.md's generated part (Mermaid diagram + transition table) from core/flow/transitions.
//   flow_doc                 prints it
//   flow_doc --write FILE    replaces the part between the markers in FILE (appends it when missing)
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "core/flow/transitions.hpp"

int main(int argc, char** argv) {
    using namespace onshi::flow;
    const std::string gen = flow_doc_generated();
    if (argc == 1) {
        std::cout << gen;
        return 0;
    }
    if (argc != 3 || std::string(argv[1]) != "--write") {
        std::fprintf(stderr, "usage: flow_doc [--write FILE]\n");
        return 2;
    }
    std::string doc;
    {
        std::ifstream in(argv[2], std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        doc = ss.str();
    }
    const size_t b = doc.find(kFlowDocBegin);
    const size_t e = doc.find(kFlowDocEnd);
    if (b != std::string::npos && e != std::string::npos && e > b) {
        size_t end = e + std::string(kFlowDocEnd).size();
        if (end < doc.size() && doc[end] == '\n') ++end;
        doc.replace(b, end - b, gen);
    } else {
        if (!doc.empty() && doc.back() != '\n') doc += '\n';
        doc += gen;
    }
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << doc;
    if (!out) {
        std::fprintf(stderr, "flow_doc: cannot write %s\n", argv[2]);
        return 1;
    }
    std::printf("%s: generated part updated\n", argv[2]);
    return 0;
}
