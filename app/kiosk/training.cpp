#include "app/kiosk/training.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "core/flow/passcode.hpp"
#include "core/ledger/ledger_store.hpp"
#include "core/ledger/sample.hpp"
#include "core/oqs/simulator.hpp"
#include "core/util/files.hpp"
#include "core/util/json.hpp"
#include "core/util/log.hpp"
#include "reader/pcsc/pcsc.hpp"

extern char** environ;

namespace onshi::kiosk {

namespace fs = std::filesystem;

namespace {

struct ScenarioSpec {
    const char* id;
    text::Msg label;
    const char* profile;             // assets/cards/<profile>.json
    const char* fault;               // simulator control: "" none
    std::vector<std::string> flags;  // emulator
    const char* person;  // assets/oqs/people.json id of the card's holder at the face-auth reader; "" unknown
    std::vector<std::string> others;  // results of other people the reader writes first, one per 顔認証リーダーに置く
};

const std::vector<ScenarioSpec>& specs() {
    static const std::vector<ScenarioSpec> s = {
        {"valid", text::Msg::ScenarioValid, "shikaku_nanao", "", {}, "shikaku-nanao", {}},
        {"insurer_changed", text::Msg::ScenarioInsurerChanged, "shikaku_ichiro", "", {}, "shikaku-ichiro", {}},
        {"invalid", text::Msg::ScenarioInvalid, "shikaku_goro", "validity:2", {}, "shikaku-goro", {}},
        {"not_found", text::Msg::ScenarioNotFound, "fujo_shiro", "", {}, "", {}},
        {"error", text::Msg::ScenarioError, "shikaku_nanao", "status2", {}, "shikaku-nanao", {}},
        {"forged", text::Msg::ScenarioForged, "shikaku_nanao", "", {"--wrong-signature"}, "shikaku-nanao", {}},
        {"card_pulled",
         text::Msg::ScenarioCardPulled,
         "shikaku_nanao",
         "",
         {"--pull-after", "14"},
         "shikaku-nanao",
         {}},
        // At another counter 資格 一郎 is received while 資格 七夫 is waited for: his result must not attach.
        {"another_person",
         text::Msg::ScenarioAnotherPerson,
         "shikaku_nanao",
         "",
         {},
         "shikaku-nanao",
         {"shikaku-ichiro"}},
    };
    return s;
}

// What the patient chooses on the reader's consent screens in every scenario: 診療情報 refused, the rest agreed.
oqs::ReaderConsents reader_consents() {
    oqs::ReaderConsents c;
    c.pharmacists = true;
    c.diagnosis = false;
    c.specific_health_checkups = true;
    c.operation = true;
    c.limit_application = true;
    c.specific_diseases = true;
    return c;
}

// Where the project's files are: the source tree in a build, /usr/share/onshi-kiosk when installed.
fs::path share_dir() {
    if (const char* d = std::getenv("ONSHI_SHARE_DIR")) return d;
    if (fs::exists(fs::path(ONSHI_SOURCE_DIR) / "assets")) return ONSHI_SOURCE_DIR;
    return "/usr/share/onshi-kiosk";
}

fs::path emulator_binary() {
    if (const char* e = std::getenv("ONSHI_CARD_EMULATOR")) return e;
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    for (fs::path p :
         {self.parent_path() / "onshi-card-emulator", self.parent_path().parent_path() / "reader/onshi-card-emulator"})
        if (fs::exists(p)) return p;
    return "onshi-card-emulator";  // from PATH (installed)
}

int run(const std::vector<std::string>& argv) {
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, a[0], nullptr, nullptr, a.data(), environ) != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

const std::vector<TrainingStaff>& training_staff() {
    static const std::vector<TrainingStaff> s = {{"S01", "受付 花子", "246810"}, {"S02", "事務長 太郎", "135790"}};
    return s;
}

TrainingEnvironment::TrainingEnvironment(fs::path dir) : dir_(std::move(dir)) {
    // Training talks only to its own pcscd (scripts/pcscd-vpcd.sh): never to, and never stopping, the clinic's.
    // First, before any thread and any PC/SC context; the emulator inherits it too.
    reader::use_private_pcscd();
    for (const char* d : {"ledger", "oqs/req", "oqs/res", "oqs/face", "cards", "backup"})
        fs::create_directories(dir_ / d);
    const fs::path share = share_dir();

    // The sample 患者原簿, once: 資格 一郎 still on his old card, so 保険者変更 has something to change.
    // ONSHI_TRAINING_LEDGER_URL puts it in a PostgreSQL database instead of ledger/ledger.sqlite (several
    // training kiosks on one 原簿, as tests/e2e runs two counters): the sample goes in when it has no staff yet.
    if (const char* url = std::getenv("ONSHI_TRAINING_LEDGER_URL"); url && *url) ledger_url_ = url;
    const fs::path ledger_file = dir_ / "ledger/ledger.sqlite";
    if (ledger_url_.empty() ? !fs::exists(ledger_file)
                            : ledger::LedgerStore::open(ledger_url_).list_staff().empty()) {
        auto text = files::read(share / "assets/ledger/sample.json");
        if (!text) throw std::runtime_error("training: cannot read assets/ledger/sample.json");
        Json data = Json::parse(*text);
        data.erase("staff");
        for (auto& p : data["patients"])
            if (p.value("karte", "") == "13" && p["cards"].size() > 1) {
                p["cards"].erase(1);
                p.erase("reference_number");
            }
        auto store = ledger::LedgerStore::open(ledger_url_.empty() ? ledger_file : fs::path(ledger_url_));
        ledger::import_sample(store, data, "training");
        flow::Passcode pc(store, flow::system_clock());
        for (const auto& s : training_staff()) pc.add_staff(s.id, s.name, "reception", s.passcode, "training");
    }

    auto people = files::read(share / "assets/oqs/people.json");
    if (!people) throw std::runtime_error("training: cannot read assets/oqs/people.json");
    mic_ = Json::parse(*people).value("medical_institution_code", "1312345678");
    files::write_atomic(dir_ / "control.json", "{}\n");
    oqs::SimulatorOptions so;
    so.root = dir_ / "oqs";
    so.data_file = share / "assets/oqs/people.json";
    so.control_file = dir_ / "control.json";
    so.latency = std::chrono::milliseconds(1200);
    so.home_visits_today = true;  // 訪問等資格確認's 過去7日 and 今月 find the data's consents on any day
    // Scripted runs (tests/e2e) answer faster: ONSHI_TRAINING_OQS_LATENCY_MS, 0 to 60000.
    if (const char* ms = std::getenv("ONSHI_TRAINING_OQS_LATENCY_MS"); ms && *ms) {
        char* end = nullptr;
        const long v = std::strtol(ms, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 60000) so.latency = std::chrono::milliseconds(v);
    }
    simulator_ = std::make_unique<oqs::OqsSimulator>(so);
    simulator_->start();

    if (run({"bash", (share / "scripts/pcscd-vpcd.sh").string(), "start"}) != 0)
        log::error("training", "the training pcscd with vpcd did not start (run as root; see scripts/pcscd-vpcd.sh)");
    // The emulator writes its test CA on first start: the trust store must exist before the kiosk reads it.
    // RSA key generation takes seconds on a busy machine; the keys are kept in cards/ for the next start.
    start_emulator("shikaku_nanao", {"--removed"});
    for (int i = 0; i < 1200 && !fs::exists(dir_ / "cards/face_ca.pub.pem"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!fs::exists(dir_ / "cards/face_ca.pub.pem"))
        throw std::runtime_error("the card emulator did not create its test CA in " + (dir_ / "cards").string());
}

TrainingEnvironment::~TrainingEnvironment() {
    stop_emulator();
    if (simulator_) simulator_->stop();
}

config::KioskConfig TrainingEnvironment::config() const {
    config::KioskConfig c;
    c.medical_institution_code = mic_;
    c.oqs_root = dir_ / "oqs";
    c.oqs_timeout_seconds = 20;
    c.face_wait_seconds = 30;  // the trainee puts the card on the simulated reader at once
    c.bulk_poll_seconds = 1;   // the simulated terminal has a 一括照会 done by its second poll
    c.ledger_path = dir_ / "ledger/ledger.sqlite";  // with a URL, its folder still holds this kiosk's state
    c.ledger_url = ledger_url_;
    c.backup_dir = dir_ / "backup";
    c.trust_store = {dir_ / "cards/face_ca.pub.pem"};
    c.reader_pattern = "Virtual PCD";
    c.fullscreen = false;
    return c;
}

const std::vector<Scenario>& TrainingEnvironment::scenarios() {
    static const std::vector<Scenario> list = [] {
        std::vector<Scenario> v;
        for (const auto& s : specs()) v.push_back({s.id, s.label});
        return v;
    }();
    return list;
}

void TrainingEnvironment::pick(const std::string& id) {
    for (const auto& s : specs()) {
        if (s.id != id) continue;
        Json control = Json::object();
        if (*s.fault) control["fault"] = s.fault;
        files::write_atomic(dir_ / "control.json", control.dump() + "\n");
        start_emulator(s.profile, s.flags);
        label_ = s.label;
        person_ = s.person;
        others_ = s.others;
        log::info("training", std::string("scenario ") + s.id + ": card " + s.profile + " on the reader");
        return;
    }
    throw std::invalid_argument("unknown scenario " + id);
}

std::string TrainingEnvironment::put_on_face_reader() {
    oqs::ReaderReception r;
    if (!others_.empty()) {
        r.person_id = others_.front();  // another patient's reception comes first
        others_.erase(others_.begin());
    } else {
        r.person_id = person_;
    }
    r.consents = reader_consents();
    const std::string file = simulator_->face_reception(r);
    log::info("training", "face-auth reader: " + (r.person_id.empty() ? std::string("an unknown card") : r.person_id) +
                              " -> face/" + file);
    return file;
}

void TrainingEnvironment::start_emulator(const std::string& profile, const std::vector<std::string>& flags) {
    stop_emulator();
    const fs::path share = share_dir();
    std::vector<std::string> argv = {emulator_binary().string(), "--profile",
                                     (share / "assets/cards" / (profile + ".json")).string(), "--state-dir",
                                     (dir_ / "cards").string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("training: pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(s.data());
    a.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, a[0], &fa, nullptr, a.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(pipefd[0]);
    if (rc != 0) {
        ::close(pipefd[1]);
        throw std::runtime_error("training: cannot start " + argv[0]);
    }
    emulator_pid_ = pid;
    emulator_stdin_ = pipefd[1];
}

void TrainingEnvironment::stop_emulator() {
    if (emulator_pid_ <= 0) return;
    if (emulator_stdin_ >= 0) {
        (void)!::write(emulator_stdin_, "quit\n", 5);
        ::close(emulator_stdin_);
        emulator_stdin_ = -1;
    }
    for (int i = 0; i < 40; ++i) {
        if (waitpid(emulator_pid_, nullptr, WNOHANG) == emulator_pid_) {
            emulator_pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ::kill(emulator_pid_, SIGKILL);
    waitpid(emulator_pid_, nullptr, 0);
    emulator_pid_ = -1;
}

}  // namespace onshi::kiosk
