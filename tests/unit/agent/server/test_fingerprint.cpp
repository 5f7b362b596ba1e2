// SPDX-License-Identifier: MIT
#include <agent/server/fingerprint.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace feedz;

TEST_CASE("fingerprint: is sha256: and the hex SHA-256 of the token", "[core][fingerprint]") {
    // Test vectors from FIPS 180-2.
    CHECK(fingerprint("abc")
          == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(fingerprint("")
          == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("fingerprint: tells tokens apart and never contains them", "[core][fingerprint]") {
    const std::string a = "T-Qx7Vb2Kp9Lm3Nz4Rt8Wy";
    const std::string b = "T-Qx7Vb2Kp9Lm3Nz4Rt8Wz";
    CHECK(fingerprint(a) == fingerprint(a));
    CHECK(fingerprint(a) != fingerprint(b));
    CHECK(fingerprint(a).size() == 7 + 64);
    CHECK(fingerprint(a).find("Qx7Vb2") == std::string::npos);
}
