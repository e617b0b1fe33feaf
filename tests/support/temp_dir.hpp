// A fresh directory under the system temp dir, removed at the end of the test.
#pragma once

#include <filesystem>
#include <string>

namespace tokend::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace tokend::test
