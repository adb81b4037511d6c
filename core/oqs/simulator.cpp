#include "core/oqs/simulator.hpp"

#include <sys/inotify.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <tuple>

#include "core/oqs/error.hpp"
#include "core/oqs/gateway.hpp"
#include "core/oqs/medinfo_sim.hpp"
#include "core/oqs/messages.hpp"
#include "core/oqs/transport.hpp"
#include "core/rules/date.hpp"
#include "core/rules/numbers.hpp"
#include "core/util/clock.hpp"
#include "core/util/files.hpp"
#include "core/util/inotify_loop.hpp"
#include "core/util/json.hpp"
#include "core/util/log.hpp"

namespace onshi::oqs {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string now_stamp(long long offset_s = 0) {
    return util::format_local_compact(util::system_now_ms() + int64_t(offset_s) * 1000);
}

// An Element tree from the data file's JSON: keys are OQS element names, arrays repeat.
void json_to_elements(const Json& j, Element& parent) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key().empty() || it.key()[0] == '_') continue;  // "_note" etc. are for people, not XML
        auto add_one = [&](const Json& v) {
            if (v.is_object()) {
                Element& e = parent.add(it.key());
                json_to_elements(v, e);
            } else if (v.is_string()) {
                parent.add(it.key(), v.get<std::string>());
            } else {
                throw OqsError(ErrorKind::Usage,
                               "simulator data: " + it.key() + " must be a string (numbers are strings)");
            }
        };
        if (it->is_array())
            for (const auto& v : *it) add_one(v);
        else
            add_one(*it);
    }
}

QualificationRecord record_from_json(const Json& j) {
    Element wrap{"XmlMsg", {}, {}};
    Element& h = wrap.add("MessageHeader");
    (void)h;
    Element& b = wrap.add("MessageBody");
    Element& l = b.add("ResultList");
    Element& r = l.add("ResultOfQualificationConfirmation");
    json_to_elements(j, r);
    Message m = read_message(wrap, MessageKind::Siquc01Res);
    return m.body.results->at(0);
}

struct Person {
    std::string id;
    std::vector<QualificationRecord> qualifications;
    std::string fault, valid_code = "1", home_visit_consent_date;
};

struct Pending {
    Clock::time_point due;
    std::string name;  // request file name
    Message request;
    std::string fault;
};

bool same_insurer(const Text& a, const std::string& b) {
    return a && rules::insurer_key(*a) == rules::insurer_key(b) && !rules::insurer_key(b).empty();
}

}  // namespace

struct OqsSimulator::Impl {
    SimulatorOptions opt;
    std::string mic;
    Encoding enc = Encoding::Utf8;
    std::vector<Person> people;
    std::map<std::string, std::string> registered;  // person id → 照会番号
    struct Job {
        std::vector<SearchInfo> search;
        MessageKind kind;
        std::string date;
        int polls = 0;
    };
    std::map<std::string, Job> jobs;  // by 受付番号; kept after the final answer (a poll may come again)
    int reception_seq = 0;
    std::vector<Pending> pending;
    std::atomic<size_t> answered{0};
    std::mutex mu;  // the worker's turn and a face reception from another thread
    InotifyLoop loop{"oqs-sim"};
    std::mt19937 rng{std::random_device{}()};

    void load() {
        files::BoundedRead data = files::read_regular(opt.data_file, 64u << 20);
        if (!data.ok()) throw OqsError(ErrorKind::Io, "cannot read " + data.message_en);
        Json j = Json::parse(data.bytes, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw OqsError(ErrorKind::Malformed, opt.data_file.string() + " is not JSON");
        mic = j.value("medical_institution_code", "");
        enc = opt.encoding ? *opt.encoding : encoding_from_name(j.value("encoding", "UTF-8"));
        for (const auto& p : j.value("people", Json::array())) {
            Person x;
            x.id = p.value("id", "");
            x.fault = p.value("fault", "");
            x.valid_code = p.value("valid_code", "1");
            x.home_visit_consent_date = p.value("home_visit_consent_date", "");
            for (const auto& q : p.value("qualifications", Json::array()))
                x.qualifications.push_back(record_from_json(q));
            if (x.id.empty() || x.qualifications.empty())
                throw OqsError(ErrorKind::Malformed, "simulator data: every person needs an id and qualifications");
            people.push_back(std::move(x));
        }
    }

    // ---- bulk jobs ------------------------------------------------------------------------
    // A terminal keeps its accepted 一括照会 across its own restarts and the clinic program's: each job's
    // 01req is kept in <root>/.simulator/bulk/<受付番号>.<kind>.xml, so a 02req after a restart still finds it.
    fs::path job_file(const std::string& rn, MessageKind kind) const {
        return opt.root / ".simulator" / "bulk" / (rn + "." + kind_name(kind) + ".xml");
    }
    static constexpr MessageKind kBulkKinds[] = {MessageKind::Muquc01Req, MessageKind::Muhvq01Req};

    std::string new_reception_number() {
        const std::string day = now_stamp().substr(0, 8);
        auto taken = [&](const std::string& rn) {
            for (MessageKind k : kBulkKinds)
                if (fs::exists(job_file(rn, k))) return true;
            return jobs.count(rn) > 0;
        };
        char rn[32];
        do std::snprintf(rn, sizeof rn, "%s%04d", day.c_str(), ++reception_seq);
        while (taken(rn));
        return rn;
    }

    void keep_job(const std::string& rn, const Message& req, const std::string& date) {
        jobs[rn] = Job{req.body.search, req.kind, date, 0};
        const fs::path file = job_file(rn, req.kind);
        fs::create_directories(file.parent_path());
        files::write_atomic(file, serialize(req, Encoding::Utf8), 0600);  // card numbers and birth dates
    }

    Job* find_job(const std::string& rn) {
        if (auto it = jobs.find(rn); it != jobs.end()) return &it->second;
        if (rn.empty() || rn.find_first_not_of("0123456789") != std::string::npos) return nullptr;
        for (MessageKind k : kBulkKinds) {
            files::BoundedRead in = files::read_regular(job_file(rn, k), DecodeOptions{}.max_bytes);
            if (!in.ok()) continue;
            try {
                Message req = parse_message(in.bytes, k);
                const std::string date = req.header.qualification_confirmation_date.value_or(now_stamp().substr(0, 8));
                return &(jobs[rn] = Job{req.body.search, k, date, 0});
            } catch (const OqsError& e) {
                log::warn("oqs-sim", "bulk job " + rn + " not readable: " + e.what());
            }
        }
        return nullptr;
    }

    // ---- answering ------------------------------------------------------------------------
    static bool valid_on(const QualificationRecord& r, const std::string& date) {
        if (r.qualification_date && !r.qualification_date->empty() && *r.qualification_date > date) return false;
        if (r.disqualification_date && !r.disqualification_date->empty() && *r.disqualification_date <= date)
            return false;
        return true;
    }

    struct Answer {
        std::string validity;
        std::vector<QualificationRecord> records;
        const Person* person = nullptr;
    };

    Answer answer_for(const SearchInfo& s, const std::string& date) {
        std::vector<std::pair<const Person*, const QualificationRecord*>> hits;
        for (const auto& p : people)
            for (const auto& q : p.qualifications) {
                bool insurer = same_insurer(q.insurer_number, s.insurer_number.value_or("")) ||
                               same_insurer(q.public_expense_number, s.insurer_number.value_or(""));
                bool number = q.insured_identification_number == s.insured_identification_number ||
                              (q.beneficiary_number && q.beneficiary_number == s.insured_identification_number);
                bool symbol = !s.insured_card_symbol || q.insured_card_symbol == s.insured_card_symbol;
                bool branch = !s.insured_branch_number || !q.insured_branch_number ||
                              q.insured_branch_number == s.insured_branch_number;
                if (insurer && number && symbol && branch && q.birthdate == s.birthdate) hits.push_back({&p, &q});
            }
        Answer a;
        if (hits.empty()) {
            a.validity = "4";
            return a;
        }
        if (hits.size() > 1 && hits.front().first != hits.back().first) {
            a.validity = "5";
            for (auto& h : hits) a.records.push_back(*h.second);
            return a;
        }
        a.person = hits.front().first;
        return for_person(*a.person, hits.front().second, date);
    }

    Answer for_person(const Person& p, const QualificationRecord* matched, const std::string& date) {
        Answer a;
        a.person = &p;
        if (!matched)
            for (const auto& q : p.qualifications)
                if (valid_on(q, date)) matched = &q;
        if (!matched) matched = &p.qualifications.back();
        if (valid_on(*matched, date)) {
            a.validity = p.valid_code;
            a.records.push_back(*matched);
        } else {
            for (const auto& q : p.qualifications)
                if (&q != matched && valid_on(q, date)) a.records.push_back(q);
            a.validity = a.records.empty() ? "2" : "3";  // 3: the records are the new qualification
            if (a.records.empty()) a.records.push_back(*matched);
        }
        if (auto it = registered.find(p.id); it != registered.end())
            for (auto& r : a.records) r.reference_number = it->second;
        return a;
    }

    MessageHeader answer_header(const Message& req) {
        MessageHeader h;
        h.process_execution_time = now_stamp();
        h.qualification_confirmation_date = req.header.qualification_confirmation_date;
        h.medical_institution_code = req.header.medical_institution_code;
        h.arbitrary_file_identifier = req.header.arbitrary_file_identifier;
        h.segment_of_result = "1";
        h.character_code_identifier = character_code_of(enc);
        return h;
    }

    static void apply_validity_fault(const std::string& fault, std::string& validity) {
        if (fault.rfind("validity:", 0) == 0) validity = fault.substr(9);
    }

    void fill_unit_like(const std::string& fault, const Answer& a, Text& prs, Text& prc, Text& prm, Text& validity) {
        if (fault == "status2") {
            prs = "2";
            prc = "EQS1002E";  // illustrative: no public list of 処理結果コード exists
            prm = "シミュレータ: 処理結果状況2（要求により発生）";
            return;
        }
        prs = "1";
        std::string v = a.validity;
        apply_validity_fault(fault, v);
        validity = v;
    }

    Message answer(const Pending& p) {
        const Message& req = p.request;
        Message m;
        m.header = answer_header(req);
        std::string date = req.header.qualification_confirmation_date.value_or(now_stamp().substr(0, 8));
        switch (req.kind) {
            case MessageKind::Siquc01Req: {
                m.kind = MessageKind::Siquc01Res;
                m.header.reference_classification = "2";
                if (req.body.search.empty()) throw OqsError(ErrorKind::Malformed, "no QualificationConfirmSearchInfo");
                m.body.search = req.body.search;
                Answer a = answer_for(req.body.search[0], date);
                fill_unit_like(p.fault, a, m.body.processing_result_status, m.body.processing_result_code,
                               m.body.processing_result_message, m.body.qualification_validity);
                if (m.body.processing_result_status == "1") m.body.results = a.records;
                break;
            }
            case MessageKind::Muquc01Req:
            case MessageKind::Muhvq01Req: {
                m.kind = req.kind == MessageKind::Muquc01Req ? MessageKind::Muquc01Res : MessageKind::Muhvq01Res;
                const std::string rn = new_reception_number();
                m.body.reception_number = rn;
                m.body.reception_date_time = now_stamp();
                keep_job(rn, req, date);
                break;
            }
            case MessageKind::Muquc02Req:
            case MessageKind::Muhvq02Req: {
                m.kind = req.kind == MessageKind::Muquc02Req ? MessageKind::Muquc02Res : MessageKind::Muhvq02Res;
                std::string rn = req.body.reception_number.value_or("");
                m.header.reception_number = rn;
                Job* job = find_job(rn);
                if (!job) {
                    m.header.segment_of_result = "9";
                    m.header.error_code = "EQS9001E";
                    m.header.error_message = "シミュレータ: 受付番号 " + rn + " は存在しません";
                    break;
                }
                if (job->polls++ == 0) {  // the first poll always finds the job still running
                    m.header.segment_of_result = "2";
                    break;
                }
                int ok = 0, bad = 0;
                if (job->kind == MessageKind::Muquc01Req) {
                    for (const auto& s : job->search) {
                        BulkConfirmUnit u;
                        u.search = s;
                        Answer a = answer_for(s, job->date);
                        fill_unit_like(a.person ? a.person->fault : "", a, u.processing_result_status,
                                       u.processing_result_code, u.processing_result_message, u.qualification_validity);
                        if (u.processing_result_status == "1")
                            u.results = a.records, ++ok;
                        else
                            ++bad;
                        m.body.units.push_back(std::move(u));
                    }
                } else {
                    const SearchInfo s = job->search.empty() ? SearchInfo{} : job->search[0];
                    const std::string today = now_stamp().substr(0, 8);
                    for (const auto& person : people) {
                        const std::string& d = opt.home_visits_today && !person.home_visit_consent_date.empty()
                                                   ? today
                                                   : person.home_visit_consent_date;
                        if (d.empty() || d < s.consent_date_from.value_or("") ||
                            d > s.consent_date_to.value_or("99999999"))
                            continue;
                        BulkConfirmUnit u;
                        Answer a = for_person(person, nullptr, job->date);
                        u.processing_result_status = "1";
                        u.qualification_validity = a.validity;
                        u.results = a.records;
                        m.body.units.push_back(std::move(u));
                        ++ok;
                    }
                }
                m.header.number_of_processing_result = std::to_string(ok + bad);
                m.header.number_of_normal_processing = std::to_string(ok);
                m.header.number_of_error = std::to_string(bad);
                break;
            }
            case MessageKind::Siimm01Req: {
                m.kind = MessageKind::Siimm01Res;
                if (!req.body.registration) throw OqsError(ErrorKind::Malformed, "no ReferenceNumberRegistrationInfo");
                const ReferenceRegistration& r = *req.body.registration;
                SearchInfo s;
                s.insurer_number = r.insurer_number;
                s.insured_card_symbol = r.insured_card_symbol;
                s.insured_identification_number = r.insured_identification_number;
                s.insured_branch_number = r.insured_branch_number;
                const Person* found = nullptr;
                for (const auto& person : people)
                    for (const auto& q : person.qualifications)
                        if (same_insurer(q.insurer_number, r.insurer_number.value_or("")) &&
                            q.insured_identification_number == r.insured_identification_number)
                            found = &person;
                m.body.reference_number = r.reference_number;
                if (found && p.fault != "status2") {
                    m.body.processing_result_status = "1";
                    registered[found->id] = r.reference_number.value_or("");
                } else {
                    m.body.processing_result_status = "2";
                    m.body.processing_result_code = "EQS2001E";
                    m.body.processing_result_message = "シミュレータ: 該当する資格がありません";
                }
                break;
            }
            default: throw OqsError(ErrorKind::Malformed, std::string(kind_name(req.kind)) + " is not a request");
        }
        if (p.fault == "segment9") {
            m.header.segment_of_result = "9";
            m.header.error_code = "EQS9999E";
            m.header.error_message = "シミュレータ: 異常終了（要求により発生）";
            m.body = MessageBody{};
        }
        if (p.fault == "afi_mismatch") m.header.arbitrary_file_identifier = "not-the-request";
        return m;
    }

    // 薬剤情報 / 特定健診情報 (YZK/TKK): synthetic records of the person whose card the header names, as XML or
    // as a PDF (FileCategory, docs/medinfo.md); the consent is the kiosk's to check, not the simulator's.
    // Returns the answer's file name and bytes.
    std::pair<std::string, std::string> medinfo_answer(const Pending& p) {
        const Message& req = p.request;
        const bool drug = req.kind == MessageKind::YzkSiquc01Req;
        const medinfo::InfoKind kind = drug ? medinfo::InfoKind::Drug : medinfo::InfoKind::Checkup;
        std::string category;
        for (const Element& e : req.body.extra)
            if (e.name == "FileCategory") category = e.text;
        const bool pdf = category == "1" || category == "3";
        std::string res = counterpart_name(p.name);
        const Person* found = nullptr;
        for (const auto& person : people)
            for (const auto& q : person.qualifications)
                if (same_insurer(q.insurer_number, req.header.insurer_number.value_or("")) &&
                    q.insured_identification_number == req.header.insured_person_identification_number)
                    found = &person;
        if (!found || p.fault == "status2")
            return {res, medinfo::error_xml(kind, "2", "シミュレータ: 該当する情報がありません", enc)};
        const QualificationRecord& q = found->qualifications.front();
        medinfo::SyntheticPerson sp;
        sp.header = {q.name.value_or(""), q.name_kana.value_or(""), q.birthdate.value_or(""), q.sex1.value_or("")};
        for (char c : found->id) sp.seed = sp.seed * 31u + static_cast<unsigned char>(c);
        medinfo::SyntheticOptions o;
        o.end_month = now_stamp().substr(0, 6);
        o.months = 24;
        o.medical_institution_code = req.header.medical_institution_code.value_or("");
        o.arbitrary_file_identifier = req.header.arbitrary_file_identifier.value_or("");
        if (p.fault == "afi_mismatch") o.arbitrary_file_identifier = "not-the-request";
        o.encoding = enc;
        if (pdf) {
            res = res.substr(0, res.size() - 4) + ".pdf";
            return {res, drug ? medinfo::synthetic_drug_pdf(sp, o) : medinfo::synthetic_checkup_pdf(sp, o)};
        }
        return {res, drug ? medinfo::synthetic_drug_xml(sp, o) : medinfo::synthetic_checkup_xml(sp, o)};
    }

    void write_res(const std::string& name, const std::string& bytes, bool face) {
        fs::path dir = opt.root / (face ? "face" : "res");
        fs::path tmp = dir / ("." + name + ".part");
        files::write_atomic(tmp, bytes);
        fs::rename(tmp, dir / name);  // appears complete, as from OQSComApp
    }

    std::string face_name(const Message& m) {
        static const char d[] = "0123456789abcdef";
        std::string r;
        for (int i = 0; i < 20; ++i) r += d[rng() % 16];
        return "OQSsiquc01res_face_" + m.header.medical_institution_code.value_or("0000000000") + r + "_" +
               now_stamp() + ".xml";
    }

    void produce(Pending& p) {
        const std::string& f = p.fault;
        ++answered;
        std::error_code gone;
        fs::remove(taken_dir() / p.name, gone);
        if (f == "no_answer") return;
        std::string res = counterpart_name(p.name);
        if (f == "err") {
            std::error_code ec;
            fs::path bounced = opt.root / "res" / p.name;
            std::string original = serialize(p.request, Encoding::Utf8);
            files::write_atomic(bounced, original);
            write_res(p.name.substr(0, p.name.size() - 4) + ".err",
                      "E0001 シミュレータ: 要求ファイルを受け付けられません（要求により発生）\n", false);
            return;
        }
        std::string bytes;
        if (p.request.kind == MessageKind::YzkSiquc01Req || p.request.kind == MessageKind::TkkSiquc01Req) {
            std::tie(res, bytes) = medinfo_answer(p);
        } else {
            Message m = answer(p);
            bytes = serialize(m, enc);
        }
        if (f == "malformed") bytes = bytes.substr(0, bytes.size() / 2) + "<<<not xml";
        if (f == "truncated") bytes.resize(bytes.size() * 2 / 3);
        write_res(res, bytes, false);
        const std::string& name = res;
        if (f == "duplicate") {
            fs::path dup = opt.root / "res" / ("." + name + ".dup");
            files::write_atomic(dup, bytes);
            fs::rename(dup, opt.root / "res" / name);  // the same answer lands a second time
        }
    }

    void bounce(const std::string& name, const std::string& why) {
        std::error_code ec;
        fs::rename(opt.root / "req" / name, opt.root / "res" / name, ec);
        write_res(name.substr(0, name.size() - 4) + ".err", "E0002 " + why + "\n", false);
        ++answered;
    }

    Json read_control() const {
        Json control;
        if (opt.control_file)
            if (auto c = files::read_regular(*opt.control_file, 64 * 1024); c.ok())
                control = Json::parse(c.bytes, nullptr, false);
        if (!control.is_object()) control = Json::object();
        return control;
    }

    // The face-auth reader read the card, the patient answered its consent screens, the terminal asked OQS:
    // the face/ result, as OQSComApp writes it (no request, a new ArbitraryFileIdentifier).
    std::string face_reception(const ReaderReception& rr) {
        const std::string stamp = now_stamp();
        const std::string date = rr.date.empty() ? stamp.substr(0, 8) : rr.date;
        const Person* person = nullptr;
        for (const auto& p : people)
            if (!rr.person_id.empty() && p.id == rr.person_id) person = &p;
        std::string fault = rr.fault.empty() ? read_control().value("fault", "") : rr.fault;
        if (fault.empty() && person) fault = person->fault;

        Message m;
        m.kind = MessageKind::Face;
        m.header.process_execution_time = stamp;
        m.header.qualification_confirmation_date = date;
        m.header.medical_institution_code = mic.empty() ? "0000000000" : mic;
        static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string afi;
        for (int i = 0; i < 15; ++i) afi += b64[rng() % 64];
        m.header.arbitrary_file_identifier = afi + "=";
        m.header.reference_classification = "1";
        m.header.segment_of_result = "1";
        m.header.character_code_identifier = character_code_of(enc);
        Answer a;
        if (person)
            a = for_person(*person, nullptr, date);
        else
            a.validity = "4";
        const std::string until = now_stamp(24 * 3600);
        for (auto& r : a.records) {
            auto set = [&](Consent& x, const std::optional<bool>& answer, bool available) {
                if (!answer) return;
                x.flag = *answer ? "1" : "0";
                x.time = stamp;
                x.available_until = std::nullopt;
                if (available && *answer) x.available_until = until;
            };
            const ReaderConsents& c = rr.consents;
            set(r.pharmacists, c.pharmacists, true);
            set(r.diagnosis, c.diagnosis, true);
            set(r.specific_health_checkups, c.specific_health_checkups, true);
            set(r.operation, c.operation, true);
            set(r.limit_application_consent, c.limit_application, false);
            set(r.specific_diseases_consent, c.specific_diseases, false);
        }
        fill_unit_like(fault, a, m.body.processing_result_status, m.body.processing_result_code,
                       m.body.processing_result_message, m.body.qualification_validity);
        if (m.body.processing_result_status == "1") m.body.results = a.records;
        if (fault == "segment9") {
            m.header.segment_of_result = "9";
            m.header.error_code = "EQS9999E";
            m.header.error_message = "シミュレータ: 異常終了（要求により発生）";
            m.body = MessageBody{};
        }
        std::string bytes = serialize(m, enc);
        if (fault == "malformed") bytes = bytes.substr(0, bytes.size() / 2) + "<<<not xml";
        if (fault == "truncated") bytes.resize(bytes.size() * 2 / 3);
        const std::string name = face_name(m);
        write_res(name, bytes, true);
        ++answered;
        log::info("oqs-sim",
                  "face-auth reader: " + (person ? person->id : std::string("unknown card")) + " -> " + name);
        return name;
    }

    // A request picked up and not answered yet waits in <root>/.simulator/taken/: a simulator stopped before
    // answering (with the clinic program, in training mode) answers it at its next start, as a terminal that
    // has accepted a request still answers it.
    fs::path taken_dir() const { return opt.root / ".simulator" / "taken"; }

    void take_request(const std::string& name, bool taken_before = false) {
        if (name.empty() || name[0] == '.' || name.size() < 4 || name.compare(name.size() - 4, 4, ".xml") != 0) return;
        fs::path p = (taken_before ? taken_dir() : opt.root / "req") / name;
        // Like every reader of the shared folders: no symlink, FIFO or device, nothing over the limit.
        files::BoundedRead in = files::read_regular(p, DecodeOptions{}.max_bytes);
        if (in.error == files::ReadError::Missing) return;
        if (!in.ok()) {
            log::warn("oqs-sim", "not taking " + in.message_en);
            return;
        }
        auto kind = kind_from_file_name(name);
        Pending pend;
        pend.name = name;
        try {
            if (!kind || !is_request(*kind)) throw OqsError(ErrorKind::Malformed, "unknown request type");
            pend.request = parse_file(in.bytes, *kind).message;
            if (!mic.empty() && pend.request.header.medical_institution_code.value_or("") != mic)
                throw OqsError(ErrorKind::Mismatch, "MedicalInstitutionCode is not this terminal's " + mic);
        } catch (const OqsError& e) {
            bounce(name, e.what());
            return;
        }
        std::error_code ec;
        if (!taken_before) {  // picked up, as OQSComApp does
            fs::create_directories(taken_dir(), ec);
            fs::rename(p, taken_dir() / name, ec);
            if (ec) fs::remove(p, ec);
        }
        Json control = read_control();
        pend.fault = control.value("fault", "");
        if (pend.fault.empty() && !pend.request.body.search.empty() && pend.request.kind == MessageKind::Siquc01Req) {
            Answer a = answer_for(pend.request.body.search[0],
                                  pend.request.header.qualification_confirmation_date.value_or(""));
            if (a.person) pend.fault = a.person->fault;
        }
        auto latency = opt.latency;
        if (control.contains("latency_ms"))
            latency = std::chrono::milliseconds(std::stoll(control.value("latency_ms", "0")));
        pend.due = Clock::now() + latency;
        pending.push_back(std::move(pend));
    }

    // One turn of the worker: take new requests, answer those whose latency has passed.
    int step(const std::vector<InotifyLoop::Change>& changes) {
        std::lock_guard lock(mu);
        for (const auto& c : changes) {
            try {
                if (c.overflow)
                    scan();
                else
                    take_request(c.name);
            } catch (const std::exception& e) {
                log::error("oqs-sim", c.name + ": " + e.what());
            }
        }
        auto now = Clock::now();
        for (size_t i = 0; i < pending.size();) {
            if (pending[i].due <= now) {
                Pending p = std::move(pending[i]);
                pending.erase(pending.begin() + long(i));
                try {
                    produce(p);
                } catch (const std::exception& e) {
                    log::error("oqs-sim", p.name + ": " + e.what());
                }
            } else {
                ++i;
            }
        }
        long long wait_ms = -1;  // nothing pending: sleep until a request arrives
        for (const auto& p : pending) {
            long long d = std::chrono::duration_cast<std::chrono::milliseconds>(p.due - now).count() + 1;
            wait_ms = wait_ms < 0 ? d : std::min(wait_ms, d);
        }
        return wait_ms < 0 ? -1 : int(std::clamp<long long>(wait_ms, 0, 60000));
    }

    void scan() {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(opt.root / "req", ec)) take_request(e.path().filename().string());
    }

    void take_unanswered() {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(taken_dir(), ec)) take_request(e.path().filename().string(), true);
    }
};

OqsSimulator::OqsSimulator(SimulatorOptions opt) : impl_(std::make_unique<Impl>()) {
    impl_->opt = std::move(opt);
    impl_->load();
}

OqsSimulator::~OqsSimulator() { stop(); }

void OqsSimulator::start() {
    Impl& m = *impl_;
    if (m.loop.running()) return;
    for (const char* d : {"req", "res", "face"}) fs::create_directories(m.opt.root / d);
    m.take_unanswered();  // accepted before a stop, not answered yet
    m.scan();             // requests written while no terminal was listening
    try {
        m.loop.start({m.opt.root / "req"}, IN_CLOSE_WRITE | IN_MOVED_TO,
                     [&m](const std::vector<InotifyLoop::Change>& c) { return m.step(c); });
    } catch (const std::exception& e) {
        throw OqsError(ErrorKind::Io, std::string("simulator cannot watch req/: ") + e.what());
    }
}

void OqsSimulator::stop() { impl_->loop.stop(); }

size_t OqsSimulator::answered() const { return impl_->answered.load(); }

std::string OqsSimulator::face_reception(const ReaderReception& r) {
    std::lock_guard lock(impl_->mu);
    fs::create_directories(impl_->opt.root / "face");
    try {
        return impl_->face_reception(r);
    } catch (const OqsError&) {
        throw;
    } catch (const std::exception& e) {
        throw OqsError(ErrorKind::Io,
                       std::string("the simulated face-auth reader cannot write its result: ") + e.what());
    }
}

}  // namespace onshi::oqs
