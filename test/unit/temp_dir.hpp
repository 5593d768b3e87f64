// A scratch directory for a test's stand-in file trees (/proc, /sys),
// removed with everything in it when the test ends.
#pragma once

#include <catch2/catch.hpp>

#include <glib.h>

#include <filesystem>
#include <string>

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string &what)
    {
        std::string tmpl = "/tmp/qmi-unit-" + what + "-XXXXXX";
        REQUIRE(g_mkdtemp(tmpl.data()));
        path = tmpl;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
};
