// The CTest fixture around the PostgreSQL ledger tests: `start DIR` before them, `stop DIR` after
// (tests/support/pg_server.hpp).
#include <cstdio>
#include <cstring>
#include <exception>

#include "tests/support/pg_server.hpp"

int main(int argc, char** argv) {
    if (argc != 3 || (std::strcmp(argv[1], "start") != 0 && std::strcmp(argv[1], "stop") != 0)) {
        std::fprintf(stderr, "usage: %s start|stop DIR\n", argv[0]);
        return 2;
    }
    try {
        if (std::strcmp(argv[1], "start") == 0) {
            auto server = onshi::test::PgServer::start(argv[2]);
            std::printf("PostgreSQL test server running in %s\n", argv[2]);
            server->keep_running();  // left running for the tests; `stop` ends it
        } else {
            onshi::test::PgServer::stop(argv[2], stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
