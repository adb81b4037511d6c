#pragma once
// The emulated My Number card: three APs with their files, key EFs (retry counters, blocking), security status
// and the card's own signing. Pure: APDU in, R-APDU out; the vpcd link lives in main.cpp.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reader/emulator/keys.hpp"
#include "reader/emulator/profile.hpp"

namespace onshi::emulator {

using reader::Bytes;

struct Faults {
    bool corrupt_photo = false;    // flip photo bytes after signing: signature must fail
    bool wrong_signature = false;  // card face signed by an uncertified key
    bool clone = false;            // challenge answered with a key that is not DF24's
};

class Card {
public:
    Card(const Profile& p, CardKeys keys, const Faults& f);
    Bytes process(const Bytes& apdu);
    void power_cycle();  // power off/on or reset: security status and selection cleared
    static const Bytes& atr();

private:
    struct Key {
        std::string value;
        int tries, max;
    };
    struct File {
        Bytes data;
        std::vector<std::uint16_t> opened_by;  // any of these key EFs verified; empty = free
    };
    struct Ap {
        std::map<std::uint16_t, File> files;
        std::map<std::uint16_t, Key> keys;
        std::uint16_t sign_key_ef = 0;  // EF whose key signs with 80 2A after SELECT (JPKI)
        std::uint16_t sign_pin_ef = 0;
    };
    Bytes select(const Bytes& a);
    Bytes read_binary(const Bytes& a);
    Bytes verify(const Bytes& a);
    Bytes sign(const Bytes& a);

    std::map<int, Ap> aps_;  // 0 JPKI, 1 text, 2 face
    int ap_ = -1;
    std::uint16_t ef_ = 0;
    std::vector<std::pair<int, std::uint16_t>> verified_;
    Bytes challenge_;
    CardKeys keys_;
    reader::Pkey clone_key_;
};

}  // namespace onshi::emulator
