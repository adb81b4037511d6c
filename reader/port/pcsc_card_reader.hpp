#pragma once
// The flow's CardReader on real PC/SC: one worker thread runs the card protocol (tens of APDUs) and posts
// the outcome back as a flow input, so the UI thread never waits on the card. Its jobs queue is a Mailbox
// that the worker runs; `post` hands the result on (the kiosk posts it into the UI mailbox).
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/flow/inputs.hpp"
#include "core/util/mailbox.hpp"
#include "reader/mynumber/authenticity.hpp"

namespace onshi::reader {

class PcscCardReader final : public flow::CardReader {
public:
    struct Options {
        std::string reader_pattern;               // substring of the reader name; "" any reader with a card
        int floor = 2;                            // 照合番号B safety floor
        std::shared_ptr<const TrustStore> trust;  // null: authenticity stays unverified
    };
    using Post = std::function<void(flow::Input)>;

    PcscCardReader(Options options, Post post);
    ~PcscCardReader() override;  // finishes the running job, drops queued ones, joins
    PcscCardReader(const PcscCardReader&) = delete;
    PcscCardReader& operator=(const PcscCardReader&) = delete;

    void inspect() override;
    void read_face(const std::string& collation_b) override;
    int safety_floor() const override { return options_.floor; }

private:
    void run();
    flow::CardInspection do_inspect();
    flow::FaceReadOutcome do_read_face(const std::string& number);

    Options options_;
    Post post_;
    Mailbox jobs_;        // run by worker_; closed by the destructor
    std::thread worker_;  // last: it starts running jobs_ at once
};

// CardFace images and checks in the flow's terms (RGBA images, flow::Verdict).
flow::CardFaceView to_view(const struct CardFace& face, const struct Authenticity& a);

}  // namespace onshi::reader
