#include "reader/pcsc/pcsc.hpp"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace onshi::reader {

std::string to_hex(std::span<const std::uint8_t> bytes) {
    static const char* d = "0123456789ABCDEF";
    std::string s;
    s.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        s += d[b >> 4];
        s += d[b & 15];
    }
    return s;
}

Bytes join(std::initializer_list<std::uint8_t> head, std::span<const std::uint8_t> tail) {
    Bytes out(head.size() + tail.size());
    std::copy(head.begin(), head.end(), out.data());
    if (!tail.empty()) std::memcpy(out.data() + head.size(), tail.data(), tail.size());
    return out;
}

static PcscErrorKind kind_of(LONG rv) {
    switch (rv) {
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_E_INVALID_HANDLE:  // the context died with the old pcscd
            return PcscErrorKind::NoService;
        case SCARD_E_NO_READERS_AVAILABLE:
        case SCARD_E_UNKNOWN_READER:
        case SCARD_E_READER_UNAVAILABLE: return PcscErrorKind::NoReader;
        case SCARD_E_NO_SMARTCARD: return PcscErrorKind::NoCard;
        case SCARD_W_REMOVED_CARD:
        case SCARD_W_RESET_CARD:
        case SCARD_W_UNPOWERED_CARD:
        case SCARD_W_UNRESPONSIVE_CARD: return PcscErrorKind::CardRemoved;
        case SCARD_E_TIMEOUT: return PcscErrorKind::Timeout;
        case SCARD_E_CANCELLED: return PcscErrorKind::Cancelled;
        default: return PcscErrorKind::Other;
    }
}

PcscError::PcscError(PcscErrorKind k, long rv, const std::string& what_call)
    : std::runtime_error(what_call + ": " + pcsc_stringify_error(static_cast<LONG>(rv))), kind(k), code(rv) {}

static void check(LONG rv, const char* call) {
    if (rv != SCARD_S_SUCCESS) throw PcscError(kind_of(rv), rv, call);
}

Context::Context() {
    SCARDCONTEXT c = 0;
    check(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c), "SCardEstablishContext");
    ctx_ = static_cast<std::intptr_t>(c);
}

Context::~Context() {
    if (ctx_) SCardReleaseContext(static_cast<SCARDCONTEXT>(ctx_));
}

bool Context::valid() const { return SCardIsValidContext(static_cast<SCARDCONTEXT>(ctx_)) == SCARD_S_SUCCESS; }

void Context::reset() {
    if (ctx_) SCardReleaseContext(static_cast<SCARDCONTEXT>(ctx_));
    ctx_ = 0;
    SCARDCONTEXT c = 0;
    check(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c), "SCardEstablishContext");
    ctx_ = static_cast<std::intptr_t>(c);
}

std::vector<std::string> Context::readers() const {
    DWORD len = 0;
    LONG rv = SCardListReaders(static_cast<SCARDCONTEXT>(ctx_), nullptr, nullptr, &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
    check(rv, "SCardListReaders");
    std::string buf(len, '\0');
    rv = SCardListReaders(static_cast<SCARDCONTEXT>(ctx_), nullptr, buf.data(), &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
    check(rv, "SCardListReaders");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < buf.size() && buf[i];) {
        std::string name(buf.c_str() + i);
        i += name.size() + 1;
        out.push_back(std::move(name));
    }
    return out;
}

Card::Card(const Context& ctx, const std::string& reader) : ctx_(ctx.handle()), reader_(reader) {
    SCARDHANDLE h = 0;
    DWORD proto = 0;
    check(SCardConnect(static_cast<SCARDCONTEXT>(ctx.handle()), reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1,
                       &h, &proto),
          "SCardConnect");
    card_ = static_cast<std::intptr_t>(h);
    read_atr();
}

namespace {
bool present(DWORD event_state) { return (event_state & SCARD_STATE_PRESENT) && !(event_state & SCARD_STATE_MUTE); }
}  // namespace

void Card::read_atr() {
    BYTE atr[MAX_ATR_SIZE];
    DWORD atr_len = sizeof atr, state = 0, p = 0, name_len = 0;
    if (SCardStatus(static_cast<SCARDHANDLE>(card_), nullptr, &name_len, &state, &p, atr, &atr_len) == SCARD_S_SUCCESS)
        atr_.assign(atr, atr + atr_len);
}

Card::~Card() {
    // LEAVE, not RESET: resetting a card pulled mid-command wedged vpcd's slot in tests. The card keeps a
    // verified 照合番号B until it leaves the reader; read_card_face() then still sends the staff's VERIFY.
    if (card_) SCardDisconnect(static_cast<SCARDHANDLE>(card_), SCARD_LEAVE_CARD);
}

long Card::send(const Bytes& apdu, std::uint8_t* buf, unsigned long& len) {
    ++apdus_;
    DWORD n = static_cast<DWORD>(len);
    LONG rv = SCardTransmit(static_cast<SCARDHANDLE>(card_), SCARD_PCI_T1, apdu.data(), static_cast<DWORD>(apdu.size()),
                            nullptr, buf, &n);
    len = n;
    return rv;
}

// A new handle on whatever card is in the reader now. The old handle goes first: while it is open pcscd does
// not report the old card's removal (seen with vpcd), so the new card would never show up.
void Card::drop() {
    if (card_) SCardDisconnect(static_cast<SCARDHANDLE>(card_), SCARD_LEAVE_CARD);
    card_ = 0;
}

bool Card::reconnect() {
    SCARDHANDLE h = 0;
    DWORD proto = 0;
    if (SCardConnect(static_cast<SCARDCONTEXT>(ctx_), reader_.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1, &h,
                     &proto) != SCARD_S_SUCCESS)
        return false;
    card_ = static_cast<std::intptr_t>(h);
    read_atr();
    return true;
}

bool Card::reset() {
    DWORD proto = 0;
    if (SCardReconnect(static_cast<SCARDHANDLE>(card_), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1, SCARD_RESET_CARD,
                       &proto) != SCARD_S_SUCCESS)
        return false;
    read_atr();
    return true;
}

// Waits until pcscd shows a card in the reader again (the old one may not be reported gone yet: vpcd, for one,
// keeps the last state until a later presence poll).
bool Card::card_again(int budget_ms) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budget_ms);
    SCARD_READERSTATE st{};
    st.szReader = reader_.c_str();
    for (;;) {
        st.dwCurrentState = SCARD_STATE_UNAWARE;
        if (SCardGetStatusChange(static_cast<SCARDCONTEXT>(ctx_), 0, &st, 1) != SCARD_S_SUCCESS) return false;
        if (present(st.dwEventState)) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

namespace {
// Failures of a transmit that mean "this handle's card is not the one in the reader (any more)".
bool card_changed_or_gone(LONG rv) {
    return rv == SCARD_E_NOT_TRANSACTED || rv == SCARD_F_COMM_ERROR || rv == SCARD_W_RESET_CARD ||
           rv == SCARD_W_REMOVED_CARD || rv == SCARD_W_UNPOWERED_CARD;
}
constexpr int kCardSwapMs = 2000;  // two presence polls of pcscd (400 ms each) and then some
}  // namespace

Response Card::raw(const Bytes& apdu) {
    BYTE buf[258 + 2];
    unsigned long len = sizeof buf;
    if (!card_)
        throw PcscError(PcscErrorKind::CardRemoved, SCARD_W_REMOVED_CARD, "SCardTransmit: the card was removed");
    LONG rv = static_cast<LONG>(send(apdu, buf, len));
    if (card_changed_or_gone(rv) && !answered_ && !reconnected_) {
        // The first APDU failed: the card left, or was swapped for another, since the connect. When a card is
        // (back) in the reader, re-connect once and send the first APDU again; nothing else was sent.
        reconnected_ = true;
        drop();
        if (!card_again(kCardSwapMs))
            throw PcscError(PcscErrorKind::CardRemoved, rv,
                            "SCardTransmit: the card was removed before its first command");
        if (reconnect()) {
            len = sizeof buf;
            rv = static_cast<LONG>(send(apdu, buf, len));
        }
        if (rv != SCARD_S_SUCCESS || len < 2)
            throw PcscError(PcscErrorKind::CardRemoved, rv == SCARD_S_SUCCESS ? SCARD_W_REMOVED_CARD : rv,
                            "SCardTransmit: the card was removed or changed before its first command and did not "
                            "answer after re-connecting (take it off the reader and put it back)");
    }
    // A card leaving mid-command shows as an empty answer (vpcd) or a transport error before pcscd's next
    // presence poll; both mean "removed" to the staff.
    if (rv == SCARD_S_SUCCESS && len < 2)
        throw PcscError(PcscErrorKind::CardRemoved, SCARD_W_REMOVED_CARD, "SCardTransmit: the card gave no answer");
    if (rv == SCARD_E_NOT_TRANSACTED || rv == SCARD_F_COMM_ERROR) {
        DWORD state = 0, proto = 0, name_len = 0, atr_len = 0;
        LONG st = SCardStatus(static_cast<SCARDHANDLE>(card_), nullptr, &name_len, &state, &proto, nullptr, &atr_len);
        if (st != SCARD_S_SUCCESS || !(state & SCARD_PRESENT))
            throw PcscError(PcscErrorKind::CardRemoved, rv, "SCardTransmit");
    }
    check(rv, "SCardTransmit");
    answered_ = true;
    Response r;
    r.data.assign(buf, buf + len - 2);
    r.sw = static_cast<std::uint16_t>(buf[len - 2] << 8 | buf[len - 1]);
    return r;
}

Response Card::transmit(const Bytes& apdu) {
    Response r = raw(apdu);
    // 6Cxx: wrong Le, the card tells the right one; resend once with it.
    if ((r.sw >> 8) == 0x6C && apdu.size() >= 4) {
        Bytes again = apdu;
        if (again.size() == 4) again.push_back(0);
        again.back() = static_cast<std::uint8_t>(r.sw & 0xFF);
        r = raw(again);
    }
    // 61xx: more data waits; collect it with GET RESPONSE.
    Bytes data = r.data;
    for (int guard = 0; (r.sw >> 8) == 0x61 && guard < 64; ++guard) {
        r = raw({0x00, 0xC0, 0x00, 0x00, static_cast<std::uint8_t>(r.sw & 0xFF)});
        data.insert(data.end(), r.data.begin(), r.data.end());
    }
    r.data = std::move(data);
    return r;
}

std::string private_pcscd_socket() {
    const char* dir = std::getenv("ONSHI_PCSCD_DIR");
    return std::string(dir && *dir ? dir : "/run/onshi-pcscd") + "/pcscd.comm";
}

void use_private_pcscd() { ::setenv("PCSCLITE_CSOCK_NAME", private_pcscd_socket().c_str(), 1); }

std::string find_reader_with_card(const Context& ctx, const std::string& prefix) {
    for (const auto& name : ctx.readers()) {
        if (name.rfind(prefix, 0) != 0) continue;
        SCARD_READERSTATE st{};
        st.szReader = name.c_str();
        st.dwCurrentState = SCARD_STATE_UNAWARE;
        if (SCardGetStatusChange(static_cast<SCARDCONTEXT>(ctx.handle()), 0, &st, 1) == SCARD_S_SUCCESS &&
            (st.dwEventState & SCARD_STATE_PRESENT) && !(st.dwEventState & SCARD_STATE_MUTE))
            return name;
    }
    return {};
}

}  // namespace onshi::reader
