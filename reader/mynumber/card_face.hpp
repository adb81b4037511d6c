#pragma once
// 券面事項確認AP: the card face (EF 0002, FF20 TLV) behind 照合番号B, and its authenticity checks.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reader/mynumber/apdu.hpp"
#include "reader/mynumber/authenticity.hpp"
#include "reader/mynumber/image.hpp"

namespace onshi::reader {

struct CardFace {
    Bytes raw;              // EF 0002 as read (FF20 object)
    std::string birthdate;  // DF22 "YYYYMMDD" (西暦)
    std::string sex;        // DF23 "1" 男 / "2" 女 / "3"
    std::string expiry;     // DF29 "YYYYMMDD"
    Bytes card_key;         // DF24: 90 03 <e> 91 82 01 00 <modulus>
    Bytes name_png, address_png, photo_jp2, security_code_png, signature;
    // Decoded to RGBA; an image that does not decode is left empty and named in image_errors.
    Image name, address, photo, security_code;
    std::vector<std::string> image_errors;
    // The three SHA-256 digests the DF28 signature covers (DF22-24, DF25-26, DF27).
    Bytes signed_digests;
};

// Parses EF 0002; throws TlvError/CardError when a mandatory field is missing. Images are decoded when
// `decode_images` (a failure there is recorded, not thrown: the staff still see the rest).
CardFace parse_card_face(std::span<const std::uint8_t> ef0002, bool decode_images = true);

struct FaceReadOptions {
    int floor = 2;                            // refuse VERIFY when tries left <= floor
    std::shared_ptr<const TrustStore> trust;  // null: authenticity stays unverified
    bool challenge = true;                    // run GET CHALLENGE + card signature
};

struct FaceReadResult {
    enum class Status {
        Ok,
        WrongNumber,  // VERIFY failed; tries_left_after says how many remain
        Blocked,      // counter at 0 (63C0/6984): the card must be reset at the municipality
        Refused,      // tries left at or below the floor: nothing sent
        BadInput,     // malformed 照合番号B: nothing sent
        CardError     // the card vanished, pcscd died, or an unexpected status: see message
    };
    Status status = Status::CardError;
    int tries_left_before = -1;  // from the counter query, before any VERIFY (-1 unknown)
    int tries_left_after = -1;   // after a failed VERIFY
    bool verify_sent = false;    // whether this call used a try (the staff may need to know)
    std::optional<CardFace> face;
    Authenticity authenticity;
    std::string message;  // English, for logs and the CLI; never contains 照合番号B
};

const char* to_string(FaceReadResult::Status s);

// Just the counter of EF 0012 (照合番号B), no try used.
TryCounter query_face_tries(Transport& t);

// SELECT 券面AP, query the counter, refuse at the floor, VERIFY once with `number` (14 digits), read EF 0002
// and EF 0004, verify. Never retries a VERIFY. Every failure is a value in the result, never an exception.
FaceReadResult read_card_face(Transport& t, const std::string& number, const FaceReadOptions& opt);

}  // namespace onshi::reader
