#include "reader/port/pcsc_card_reader.hpp"

#include "core/util/log.hpp"
#include "reader/mynumber/card_face.hpp"
#include "reader/mynumber/jpki.hpp"
#include "reader/pcsc/pcsc.hpp"

namespace onshi::reader {
namespace {

flow::Image to_flow(const Image& i) { return {i.width, i.height, i.rgba}; }

std::string iso(const std::string& yyyymmdd) {
    if (yyyymmdd.size() != 8) return yyyymmdd;
    return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2);
}

flow::FaceReadOutcome::Status to_flow(FaceReadResult::Status s) {
    using F = flow::FaceReadOutcome::Status;
    switch (s) {
        case FaceReadResult::Status::Ok: return F::Ok;
        case FaceReadResult::Status::WrongNumber: return F::WrongNumber;
        case FaceReadResult::Status::Blocked: return F::Blocked;
        case FaceReadResult::Status::Refused: return F::Refused;
        case FaceReadResult::Status::BadInput: return F::BadInput;
        case FaceReadResult::Status::CardError: break;
    }
    return F::CardError;
}

}  // namespace

flow::CardFaceView to_view(const CardFace& face, const Authenticity& a) {
    flow::CardFaceView v;
    v.birth = iso(face.birthdate);
    v.sex = face.sex;
    v.expiry = iso(face.expiry);
    v.photo = to_flow(face.photo);
    v.name = to_flow(face.name);
    v.address = to_flow(face.address);
    v.signature_ok = a.signature_ok;
    v.challenge_ok = a.challenge_ok;
    v.verdict = a.verdict == Verdict::Genuine         ? flow::Verdict::Genuine
                : a.verdict == Verdict::ForgedSuspect ? flow::Verdict::ForgedSuspect
                                                      : flow::Verdict::Unverified;
    v.detail = a.detail;
    return v;
}

PcscCardReader::PcscCardReader(Options options, Post post)
    : options_(std::move(options)), post_(std::move(post)), worker_([this] { run(); }) {}

PcscCardReader::~PcscCardReader() {
    jobs_.close();  // drops queued jobs; the running one finishes
    worker_.join();
}

void PcscCardReader::inspect() {
    jobs_.post([this] { post_(flow::in::CardInspected{do_inspect()}); });
}

void PcscCardReader::read_face(const std::string& collation_b) {
    jobs_.post([this, number = collation_b] { post_(flow::in::FaceRead{do_read_face(number)}); });
}

void PcscCardReader::run() {
    while (!jobs_.closed()) jobs_.run_for(std::chrono::hours(1));
}

// The first reader whose name contains the pattern and holds a card.
std::unique_ptr<Card> connect(const Context& ctx, const std::string& pattern) {
    std::string last_error = "no reader";
    for (const auto& rd : ctx.readers()) {
        if (!pattern.empty() && rd.find(pattern) == std::string::npos) continue;
        try {
            return std::make_unique<Card>(ctx, rd);
        } catch (const PcscError& e) {
            last_error = e.what();
        }
    }
    throw PcscError(PcscErrorKind::NoCard, 0, last_error);
}

flow::CardInspection PcscCardReader::do_inspect() {
    flow::CardInspection r;
    try {
        Context ctx;
        auto card = connect(ctx, options_.reader_pattern);
        // A new visit starts from a fresh card: a 照合番号B verified in an earlier visit (the card stayed on the
        // reader) would hide the try counter and carry that visit's access over.
        if (!card->reset())
            log::warn("card", "the reader refused to reset the card; its try counter may read as unknown");
        Bytes der = read_auth_certificate(*card);
        r.certificate_der.assign(der.begin(), der.end());
        TryCounter tries = query_face_tries(*card);
        r.face_tries_left = tries.blocked ? 0 : tries.left;
        r.ok = true;
    } catch (const std::exception& e) {
        r.message_en = e.what();
    }
    return r;
}

flow::FaceReadOutcome PcscCardReader::do_read_face(const std::string& number) {
    flow::FaceReadOutcome out;
    try {
        Context ctx;
        auto card = connect(ctx, options_.reader_pattern);
        FaceReadOptions opt;
        opt.floor = options_.floor;
        opt.trust = options_.trust;
        FaceReadResult r = read_card_face(*card, number, opt);
        out.status = to_flow(r.status);
        out.tries_left_before = r.tries_left_before;
        out.tries_left_after = r.tries_left_after;
        out.verify_sent = r.verify_sent;
        out.message_en = r.message;
        if (r.face) out.face = to_view(*r.face, r.authenticity);
    } catch (const std::exception& e) {
        out.status = flow::FaceReadOutcome::Status::CardError;
        out.message_en = e.what();
    }
    return out;
}

}  // namespace onshi::reader
