// SHA-256 and unpadded base64url (RFC 4648 section 5): the two encodings an ApplySet id is
// made of. Pure and self-contained so that the ApplySet code needs no crypto library.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace wavesync::applyset {

// The SHA-256 digest of `bytes` (FIPS 180-4).
std::array<std::uint8_t, 32> sha256(std::string_view bytes);

// Lower-case hex of a digest (tests and messages).
std::string hex(const std::array<std::uint8_t, 32>& digest);

// base64url without `=` padding, as Go's base64.RawURLEncoding.
std::string base64url_unpadded(const std::uint8_t* data, std::size_t size);

}  // namespace wavesync::applyset
