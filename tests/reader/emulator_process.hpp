#pragma once
// Runs onshi-card-emulator as a child process and drives it through its stdin commands.
#include <string>
#include <vector>

#include "reader/pcsc/pcsc.hpp"

namespace onshi::test {

inline const char* kReader = "Virtual PCD 00 00";

std::string profile_path(const std::string& id);  // assets/cards/<id>.json
std::string state_dir();                          // the test PKI of this build
std::string trust_file();                         // state_dir()/face_ca.pub.pem

// Each emulator starts on a clean reader: the constructor waits until pcscd shows no card (the previous
// test's card really gone), so the wait_card(true) that follows sees this emulator's card, freshly inserted
// and powered, never the last one's stale state. The destructor ends the emulator and waits for pcscd to see
// the card leave (once the test's handles are closed).
class EmulatorProcess {
public:
    explicit EmulatorProcess(const std::string& profile_id, const std::vector<std::string>& extra = {},
                             bool clean_reader = true);
    ~EmulatorProcess();
    void quit(bool wait_gone = true);  // ends the emulator now (the card leaves the reader)
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;
    void command(const std::string& line);  // waits for "ok <line>"
    std::string read_line();                // next stdout line ("" on EOF)
private:
    int pid_ = -1, in_ = -1, out_ = -1;
    std::string buf_;
};

// Waits (SCardGetStatusChange, no polling) until the card is present/absent in kReader; false on timeout.
bool wait_card(bool present, int timeout_ms = 8000);

}  // namespace onshi::test
