#pragma once
// A temporary folder for one test (real files, real SQLite databases), removed with everything in it.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace onshi::test {

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "onshi-test") {
        std::string t = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (!::mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed for " + t);
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return path / name;
    }
};

}  // namespace onshi::test
