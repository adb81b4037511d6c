#pragma once
// PC/SC Lite client: context, readers, a connected card with T=1 transmit.
// Errors are PcscError with a kind the caller can act on (card gone, pcscd gone, ...).
#include <cstdint>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace onshi::reader {

using Bytes = std::vector<std::uint8_t>;

std::string to_hex(std::span<const std::uint8_t> bytes);
// head ‖ tail, e.g. an APDU header and its data (a plain insert() trips a g++ 12 -Warray-bounds false positive).
Bytes join(std::initializer_list<std::uint8_t> head, std::span<const std::uint8_t> tail);

// Why a PC/SC call failed, in the terms the kiosk reacts to.
enum class PcscErrorKind { NoService, NoReader, NoCard, CardRemoved, Timeout, Cancelled, Other };

struct PcscError : std::runtime_error {
    PcscError(PcscErrorKind k, long rv, const std::string& what_call);
    PcscErrorKind kind;
    long code;  // the raw SCARD_* value
};

// An R-APDU: data and status word.
struct Response {
    Bytes data;
    std::uint16_t sw = 0;
    bool ok() const { return sw == 0x9000; }
};

// What the protocol code talks to: a real card, or a fake in unit tests.
class Transport {
public:
    virtual ~Transport() = default;
    // Sends one short C-APDU; handles 61xx (GET RESPONSE) and 6Cxx (resend with Le) itself.
    virtual Response transmit(const Bytes& apdu) = 0;
};

// An SCARDCONTEXT; re-established by reset() after pcscd restarts.
class Context {
public:
    Context();  // throws PcscError(NoService) when pcscd is not running
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    std::intptr_t handle() const { return ctx_; }
    bool valid() const;                        // SCardIsValidContext
    void reset();                              // release and establish again
    std::vector<std::string> readers() const;  // empty when none are attached
private:
    std::intptr_t ctx_ = 0;
};

// A card connected in a reader with T=1 (shared mode, so OpenSC and others may also use it).
// A patient may swap cards between the connect and the first APDU (or pcscd may still report the card that
// just left): when the first transmit fails that way and a card is in the reader, the card is re-connected
// once and that first APDU sent again, since the new card has seen nothing yet. A card changed later, in the
// middle of a read, is never resent to: that is CardRemoved, and the caller starts over.
class Card final : public Transport {
public:
    Card(const Context& ctx, const std::string& reader);
    ~Card() override;
    Card(const Card&) = delete;
    Card& operator=(const Card&) = delete;

    Response transmit(const Bytes& apdu) override;
    // Warm reset of the card in the reader (SCardReconnect with SCARD_RESET_CARD): every security state, such
    // as a 照合番号B verified during an earlier visit, is cleared. False when the reader refused.
    bool reset();
    Bytes atr() const { return atr_; }
    const std::string& reader() const { return reader_; }
    // APDUs exchanged on the wire so far (GET RESPONSE and 6Cxx resends included): for the figures.
    unsigned apdu_count() const { return apdus_; }

private:
    Response raw(const Bytes& apdu);
    long send(const Bytes& apdu, std::uint8_t* buf, unsigned long& len);
    void drop();
    bool reconnect();
    bool card_again(int budget_ms) const;
    void read_atr();
    std::intptr_t ctx_ = 0;
    std::intptr_t card_ = 0;
    std::string reader_;
    Bytes atr_;
    unsigned apdus_ = 0;
    bool answered_ = false;     // some APDU was answered on this connection
    bool reconnected_ = false;  // the one re-connect after a card change was used
};

// The private pcscd that scripts/pcscd-vpcd.sh runs for training mode and the tests, beside (never instead of)
// the system's (docs/security.md): its socket, $ONSHI_PCSCD_DIR/pcscd.comm, by default /run/onshi-pcscd/pcscd.comm.
std::string private_pcscd_socket();
// Points this process's PC/SC client, and the processes it starts, at that pcscd (PCSCLITE_CSOCK_NAME).
// libpcsclite reads the variable once, at the first SCardEstablishContext: call it before any Context
// exists and before other threads start.
void use_private_pcscd();

// Returns the first reader whose name starts with `prefix` ("" = any) and holds a card; "" if none.
std::string find_reader_with_card(const Context& ctx, const std::string& prefix = "");

}  // namespace onshi::reader
